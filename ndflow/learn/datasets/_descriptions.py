"""Short descriptions (``DESCR``) of the bundled and downloadable data sets, with their sources."""

IRIS = """Iris plants data set
--------------------

150 flowers of three iris species (setosa, versicolor, virginica), 50 of each, described by four
measurements in centimetres: sepal length, sepal width, petal length and petal width. Setosa is linearly
separable from the other two species; versicolor and virginica overlap.

Source: R. A. Fisher (1936), "The use of multiple measurements in taxonomic problems"; distributed by the
UCI Machine Learning Repository (https://archive.ics.uci.edu/dataset/53/iris).
"""

DIGITS = """Optical recognition of handwritten digits data set
--------------------------------------------------

1797 images of handwritten digits 0-9, each an 8x8 grid of integer intensities 0-16 obtained by counting
the ink pixels of 4x4 blocks of a 32x32 bitmap; ``data`` holds the 64 intensities of each image row by row.

Source: E. Alpaydin and C. Kaynak, the test part of the "Optical Recognition of Handwritten Digits" data
set of the UCI Machine Learning Repository
(https://archive.ics.uci.edu/dataset/80/optical+recognition+of+handwritten+digits).
"""

DIABETES = """Diabetes data set
-----------------

442 diabetes patients described by ten baseline variables (age, sex, body mass index, average blood
pressure and six blood serum measurements s1-s6); the target is a quantitative measure of disease
progression one year later. By default (``scaled=True``) every feature column is centred and scaled to
unit Euclidean norm; ``scaled=False`` gives the raw values.

Source: B. Efron, T. Hastie, I. Johnstone and R. Tibshirani (2004), "Least Angle Regression", Annals of
Statistics (https://www4.stat.ncsu.edu/~boos/var.select/diabetes.html).
"""

WINE = """Wine recognition data set
-------------------------

178 wines grown in the same region of Italy by three cultivators (classes class_0, class_1, class_2),
described by 13 results of a chemical analysis (alcohol, malic acid, ash, alkalinity of ash, magnesium,
phenols, flavanoids, colour intensity, hue, proline, ...).

Source: M. Forina et al., PARVUS; distributed by the UCI Machine Learning Repository
(https://archive.ics.uci.edu/dataset/109/wine).
"""

BREAST_CANCER = """Breast cancer Wisconsin (diagnostic) data set
---------------------------------------------

569 fine-needle aspirates of breast masses, labelled malignant (212) or benign (357). Ten properties of the
cell nuclei in each digitised image (radius, texture, perimeter, area, smoothness, compactness, concavity,
concave points, symmetry, fractal dimension) are summarised by their mean, standard error and worst
(largest) value, giving 30 features.

Source: W. N. Street, W. H. Wolberg and O. L. Mangasarian (1993); distributed by the UCI Machine Learning
Repository (https://archive.ics.uci.edu/dataset/17/breast+cancer+wisconsin+diagnostic).
"""

CALIFORNIA_HOUSING = """California housing data set
---------------------------

20640 block groups of the 1990 U.S. census in California. Eight features per block group: median income
(MedInc), median house age (HouseAge), average rooms and bedrooms per household (AveRooms, AveBedrms),
population, average household size (AveOccup), latitude and longitude. The target is the median house
value in units of $100,000 (MedHouseVal).

Source: R. K. Pace and R. Barry (1997), "Sparse Spatial Autoregressions", Statistics and Probability
Letters; archived in the StatLib repository (https://lib.stat.cmu.edu/datasets/).
"""
