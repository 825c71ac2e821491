//! xborder-engine
