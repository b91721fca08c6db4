//! The route table: every endpoint of the API, by resource.

// --- access rules (issue 5) ---
mod access;
mod accounts;
mod activation;
mod api_tokens;
mod claims;
mod commands;
mod configuration;
mod events;
mod handover;
mod history;
mod id_tokens;
mod models;
mod onboarding;
// --- operator settings, station owner and offline detection (issue 4) ---
mod offline;
mod operators;
mod sessions;
mod stations;
mod verification;
// --- tariffs and billing (issue 5) ---
mod billing;
// --- 15-minute intervals and live power (issue 5) ---
pub mod intervals;
// --- drivers, groups, token import (issue 5) ---
mod drivers;
// --- password reset (issue 6) ---
mod password_reset;
// --- drivers in the portal (issue 6) ---
mod driver;
// --- the tariff editor's preview (issue 6) ---
mod tariff_preview;
// --- local authorization list sync (issue 5) ---
mod local_list;
// --- owners' sessions and energy (issue 6) ---
mod owner_sessions;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::ApiState;

pub use accounts::LoginLimiter;

pub fn all(router: OpenApiRouter<ApiState>) -> OpenApiRouter<ApiState> {
    router
        .routes(routes!(operators::list))
        .routes(routes!(operators::get))
        .routes(routes!(operators::get_defaults, operators::set_defaults))
        .routes(routes!(stations::list))
        .routes(routes!(stations::get))
        .routes(routes!(stations::events))
        .routes(routes!(stations::messages))
        .routes(routes!(configuration::get))
        .routes(routes!(configuration::refresh))
        .routes(routes!(configuration::change))
        .routes(routes!(configuration::defaults))
        .routes(routes!(configuration::apply_defaults))
        .routes(routes!(commands::send, commands::history))
        .routes(routes!(commands::get))
        .routes(routes!(commands::reset))
        .routes(routes!(commands::remote_start))
        .routes(routes!(commands::remote_stop))
        .routes(routes!(commands::unlock))
        .routes(routes!(commands::trigger))
        .routes(routes!(commands::availability))
        .routes(routes!(commands::clear_cache))
        .routes(routes!(id_tokens::list, id_tokens::create))
        .routes(routes!(id_tokens::get, id_tokens::update, id_tokens::delete))
        .routes(routes!(sessions::list))
        .routes(routes!(sessions::get))
        .routes(routes!(events::stream))
        .routes(routes!(api_tokens::list, api_tokens::create))
        .routes(routes!(api_tokens::revoke))
        .routes(routes!(accounts::login))
        .routes(routes!(accounts::logout))
        .routes(routes!(accounts::me))
        .routes(routes!(accounts::register))
        .routes(routes!(accounts::list, accounts::create))
        .routes(routes!(accounts::approve))
        .routes(routes!(accounts::set_disabled))
        .routes(routes!(accounts::audit_log))
        // Activation requests and the portal inbox (issue 4, route 1).
        .routes(routes!(activation::create, activation::list))
        .routes(routes!(activation::review))
        .routes(routes!(activation::approve))
        .routes(routes!(activation::reject))
        .routes(routes!(activation::notifications))
        .routes(routes!(activation::mark_read))
        // Stickers, the installer's claim and pinpointing (issue 4).
        .routes(routes!(claims::create_code))
        .routes(routes!(claims::stickers))
        .routes(routes!(claims::claim))
        .routes(routes!(claims::pinpoint, claims::get_installation))
        .routes(routes!(claims::lock))
        .routes(routes!(claims::put_photo, claims::get_photo))
        .routes(routes!(verification::get))
        .routes(routes!(verification::verify))
        .routes(routes!(verification::test_session))
        // The model catalog (issue 4).
        .routes(routes!(models::list, models::put, models::delete))
        .routes(routes!(models::for_station))
        .routes(routes!(history::get))
        .routes(routes!(onboarding::overview))
        // --- operator settings, station owner and offline detection (issue 4) ---
        .routes(routes!(offline::get_settings, offline::put_settings))
        .routes(routes!(offline::my_stations))
        // --- handover (issue 4, routes 2 and 3) ---
        .routes(routes!(handover::list_backends, handover::create_backend))
        .routes(routes!(handover::update_backend, handover::delete_backend))
        .routes(routes!(handover::list_profiles))
        .routes(routes!(handover::put_profile, handover::delete_profile))
        .routes(routes!(handover::request))
        .routes(routes!(handover::list))
        .routes(routes!(handover::confirm))
        .routes(routes!(handover::cancel))
        .routes(routes!(handover::unclaimed))
        .routes(routes!(handover::assign))
        // --- tariffs and billing (issue 5) ---
        .routes(routes!(billing::list_tariffs, billing::create_tariff))
        .routes(routes!(billing::get_tariff, billing::update_tariff))
        .routes(routes!(billing::list_assignments, billing::assign, billing::unassign))
        .routes(routes!(billing::get_billing, billing::put_billing))
        .routes(routes!(billing::price))
        .routes(routes!(billing::cost))
        .routes(routes!(billing::recompute))
        .routes(routes!(billing::report))
        .routes(routes!(billing::statements))
        // --- 15-minute intervals and live power (issue 5) ---
        .routes(routes!(intervals::station))
        .routes(routes!(intervals::operator))
        .routes(routes!(intervals::power))
        // --- access rules (issue 5) ---
        .routes(routes!(access::get, access::put))
        .routes(routes!(access::check))
        // --- drivers, groups, token import (issue 5) ---
        .routes(routes!(drivers::list_drivers, drivers::create_driver))
        .routes(routes!(drivers::get_driver, drivers::update_driver, drivers::delete_driver))
        .routes(routes!(drivers::link_token, drivers::unlink_token))
        .routes(routes!(drivers::list_groups, drivers::create_group))
        .routes(routes!(drivers::delete_group))
        .routes(routes!(drivers::members))
        .routes(routes!(drivers::join, drivers::leave))
        .routes(routes!(drivers::import_tokens))
        // --- password reset (issue 6) ---
        .routes(routes!(password_reset::request))
        .routes(routes!(password_reset::confirm))
        // --- drivers in the portal (issue 6) ---
        .routes(routes!(driver::connector_page))
        .routes(routes!(driver::photo))
        .routes(routes!(driver::my_charging, driver::start))
        .routes(routes!(driver::stop))
        .routes(routes!(driver::connector_events))
        // --- the tariff editor's preview (issue 6) ---
        .routes(routes!(tariff_preview::preview))
        // --- web portal: change password (issue 6) ---
        .routes(routes!(accounts::change_password))
        // --- local authorization list sync (issue 5) ---
        .routes(routes!(local_list::get))
        .routes(routes!(local_list::sync))
        // --- owners' sessions and energy (issue 6) ---
        .routes(routes!(owner_sessions::my_sessions))
        .routes(routes!(owner_sessions::my_energy))
}
