//! Forecast accuracy on held-out history.
