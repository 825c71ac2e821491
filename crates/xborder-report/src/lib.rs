//! xborder-report
