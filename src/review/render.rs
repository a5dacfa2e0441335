//! Review -> text for a person in a terminal, or JSON for scripts. Placeholder.
