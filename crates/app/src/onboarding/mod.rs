//! Onboarding: bringing a station into service (the handover from its installer to its operator).

pub mod handover;
