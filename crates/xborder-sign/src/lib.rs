//! xborder-sign
