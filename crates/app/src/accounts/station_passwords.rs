//! A station's Basic-auth password (OCPP 1.6 Security Whitepaper, security profile 1 and 2; OCPP 2.0.1
//! BasicAuthPassword): set by its operator, stored hashed.

use joule_core::station::Station;

use super::Accounts;
use super::password::{STATION_PASSWORD_LEN, hash_station_secret_async};
use crate::{Actor, AppError, AppResult, Permission};

impl Accounts<'_> {
    /// Sets (16 to 40 characters, stored hashed) or, with `None`, clears the password the actor's station
    /// authenticates with (admin).
    pub async fn set_station_password(
        &self,
        actor: &Actor,
        station: &str,
        password: Option<String>,
    ) -> AppResult<Station> {
        actor.require(Permission::Administer)?;
        let (id, _) = self.app.operations().station(actor, station).await?;
        let hash = match password {
            Some(p) => {
                if !STATION_PASSWORD_LEN.contains(&p.chars().count()) {
                    return Err(AppError::invalid(
                        "password",
                        format!(
                            "the station password must be {} to {} characters",
                            STATION_PASSWORD_LEN.start(),
                            STATION_PASSWORD_LEN.end()
                        ),
                    ));
                }
                Some(hash_station_secret_async(p).await?)
            }
            None => None,
        };
        Ok(self.app.db().set_station_password(&id, hash.as_deref()).await?)
    }
}
