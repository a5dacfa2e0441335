//! Export: being written.
