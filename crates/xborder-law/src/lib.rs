//! xborder-law
