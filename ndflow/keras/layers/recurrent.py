"""Keras layers: the recurrent family (cells, ``RNN`` and its subclasses, ``Bidirectional``, ``TimeDistributed``).

The implementation lives in the ``rnn`` package, one module per concern. Inside ``ndflow.function`` the time
loop unrolls into the traced graph, so traced inputs need a static number of timesteps; eagerly any length works.
"""
from .rnn.bidirectional import Bidirectional
from .rnn.conv_lstm import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
from .rnn.gru import GRU, GRUCell
from .rnn.lstm import LSTM, LSTMCell
from .rnn.rnn import RNN
from .rnn.simple_rnn import SimpleRNN, SimpleRNNCell
from .rnn.stacked import StackedRNNCells
from .rnn.time_distributed import TimeDistributed, Wrapper

__all__ = ["RNN", "StackedRNNCells", "SimpleRNNCell", "SimpleRNN", "LSTMCell", "LSTM", "GRUCell", "GRU",
           "Bidirectional", "TimeDistributed", "Wrapper", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"]
