//! The approval workflow: a pure state machine. Being written.
