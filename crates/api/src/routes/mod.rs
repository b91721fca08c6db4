//! The route table: every endpoint of the API, by resource.

mod access;
mod accounts;
mod activation;
mod api_tokens;
mod billing;
mod claims;
mod commands;
mod configuration;
mod driver;
mod drivers;
mod events;
mod handover;
mod history;
mod id_tokens;
pub mod intervals;
mod local_list;
mod models;
mod offline;
mod onboarding;
mod operators;
mod owner_sessions;
mod password_reset;
mod sessions;
mod stations;
mod tariff_preview;
mod verification;

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
        // Activation requests and the portal inbox.
        .routes(routes!(activation::create, activation::list))
        .routes(routes!(activation::review))
        .routes(routes!(activation::approve))
        .routes(routes!(activation::reject))
        .routes(routes!(activation::notifications))
        .routes(routes!(activation::mark_read))
        // Stickers, the installer's claim and pinpointing.
        .routes(routes!(claims::create_code))
        .routes(routes!(claims::stickers))
        .routes(routes!(claims::claim))
        .routes(routes!(claims::pinpoint, claims::get_installation))
        .routes(routes!(claims::lock))
        .routes(routes!(claims::put_photo, claims::get_photo))
        .routes(routes!(verification::get))
        .routes(routes!(verification::verify))
        .routes(routes!(verification::test_session))
        // The model catalog.
        .routes(routes!(models::list, models::put, models::delete))
        .routes(routes!(models::for_station))
        .routes(routes!(history::get))
        .routes(routes!(onboarding::overview))
        // --- operator settings, station owner and offline detection ---
        .routes(routes!(offline::get_settings, offline::put_settings))
        .routes(routes!(offline::my_stations))
        // --- handover ---
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
        // --- tariffs and billing ---
        .routes(routes!(billing::list_tariffs, billing::create_tariff))
        .routes(routes!(billing::get_tariff, billing::update_tariff))
        .routes(routes!(billing::list_assignments, billing::assign, billing::unassign))
        .routes(routes!(billing::get_billing, billing::put_billing))
        .routes(routes!(billing::price))
        .routes(routes!(billing::cost))
        .routes(routes!(billing::recompute))
        .routes(routes!(billing::report))
        .routes(routes!(billing::statements))
        // --- 15-minute intervals and live power ---
        .routes(routes!(intervals::station))
        .routes(routes!(intervals::operator))
        .routes(routes!(intervals::power))
        // --- access rules ---
        .routes(routes!(access::get, access::put))
        .routes(routes!(access::check))
        // --- drivers, groups, token import ---
        .routes(routes!(drivers::list_drivers, drivers::create_driver))
        .routes(routes!(drivers::get_driver, drivers::update_driver, drivers::delete_driver))
        .routes(routes!(drivers::link_token, drivers::unlink_token))
        .routes(routes!(drivers::list_groups, drivers::create_group))
        .routes(routes!(drivers::delete_group))
        .routes(routes!(drivers::members))
        .routes(routes!(drivers::join, drivers::leave))
        .routes(routes!(drivers::import_tokens))
        // --- password reset ---
        .routes(routes!(password_reset::request))
        .routes(routes!(password_reset::confirm))
        // --- drivers in the portal ---
        .routes(routes!(driver::connector_page))
        .routes(routes!(driver::photo))
        .routes(routes!(driver::my_charging, driver::start))
        .routes(routes!(driver::stop))
        .routes(routes!(driver::connector_events))
        // --- the tariff editor's preview ---
        .routes(routes!(tariff_preview::preview))
        // --- web portal: change password ---
        .routes(routes!(accounts::change_password))
        // --- local authorization list sync ---
        .routes(routes!(local_list::get))
        .routes(routes!(local_list::sync))
        // --- owners' sessions and energy ---
        .routes(routes!(owner_sessions::my_sessions))
        .routes(routes!(owner_sessions::my_energy))
}
