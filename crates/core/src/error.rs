/// A value from outside that does not satisfy the domain's rules. The message says what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("invalid {what} {value:?}: {reason}")]
    Invalid { what: &'static str, value: String, reason: String },
}

impl DomainError {
    pub(crate) fn invalid(what: &'static str, value: &str, reason: impl Into<String>) -> DomainError {
        // Cap the echoed value: the input may be huge or hostile and ends up in logs and answers.
        let value: String = value.chars().take(64).collect();
        DomainError::Invalid { what, value, reason: reason.into() }
    }
}
