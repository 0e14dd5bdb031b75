//! Demo ticket pages reproducing the ConnectWise DOM (extension work).
