//! Loading settings: defaults < TOML file < `JOULE_*` environment < command-line flags.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use joule_server::Settings;
use joule_store::Store;

use crate::cli::GlobalArgs;

/// The file read when no `--config` is given, if it exists.
const DEFAULT_CONFIG: &str = "joule.toml";

pub fn load(args: &GlobalArgs) -> anyhow::Result<Settings> {
    let mut figment = Figment::from(Serialized::defaults(Settings::default()));
    match &args.config {
        Some(path) => {
            if !path.exists() {
                bail!("config file {} does not exist (print an example with `joule config example`)", path.display());
            }
            figment = figment.merge(Toml::file(path));
        }
        None if Path::new(DEFAULT_CONFIG).exists() => figment = figment.merge(Toml::file(DEFAULT_CONFIG)),
        None => {}
    }
    // JOULE_LISTEN, JOULE_DATA_DIR, JOULE_DATABASE_URL, JOULE_PUBLIC_URL, and JOULE_OCPP__<SETTING> for the
    // [ocpp] section. Other JOULE_* variables belong to other tools (JOULE_LOG, JOULE_CONFIG, joule-sim's,
    // the tests') and are left alone; a misspelt [ocpp] setting is still refused by name.
    let env = Env::prefixed("JOULE_")
        .filter(|key| {
            let key = key.as_str().to_ascii_lowercase();
            matches!(key.as_str(), "listen" | "data_dir" | "database_url" | "public_url")
                || key.starts_with("ocpp__")
                || key.starts_with("mail__")
        })
        .split("__");
    figment = figment.merge(env);
    let mut settings: Settings = figment.extract().context("invalid configuration")?;
    if let Some(listen) = args.listen {
        settings.listen = listen;
    }
    if let Some(dir) = &args.data_dir {
        settings.data_dir = dir.clone();
    }
    if let Some(url) = &args.database_url {
        settings.database_url = Some(url.clone());
    }
    Ok(settings)
}

/// Opens the configured database and runs its migrations.
pub async fn open_store(settings: &Settings) -> anyhow::Result<Arc<dyn Store>> {
    match settings.database_url.as_deref().filter(|u| !u.is_empty()) {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            let store = joule_store_postgres::PgStore::connect(url, Default::default())
                .await
                .with_context(|| format!("cannot open the PostgreSQL database at {}", redact(url)))?;
            Ok(Arc::new(store))
        }
        Some(url) if url.starts_with("sqlite://") || url.starts_with("sqlite:") => {
            let path = PathBuf::from(url.trim_start_matches("sqlite://").trim_start_matches("sqlite:"));
            open_sqlite(&path).await
        }
        Some(other) => bail!("unsupported database_url {}: use postgres://… or sqlite://PATH", redact(other)),
        None => open_sqlite(&settings.data_dir.join("joule.db")).await,
    }
}

async fn open_sqlite(path: &Path) -> anyhow::Result<Arc<dyn Store>> {
    let store = joule_store_sqlite::SqliteStore::open(path, Default::default())
        .await
        .with_context(|| format!("cannot open the SQLite database at {}", path.display()))?;
    Ok(Arc::new(store))
}

/// Hides the password of a database URL in messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite://x.db"), "sqlite://x.db");
    }
}
