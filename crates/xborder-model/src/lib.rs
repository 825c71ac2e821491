//! xborder-model
