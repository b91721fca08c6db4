//! The three macros the 1.6 message modules are written in. Each keeps one list per thing (the fields of a
//! struct, the values of an enum, the actions of a direction) and derives from it everything that must agree
//! with it: the Rust type, its serde form, its wire description, and the action tables.

/// The wire name of an enum value: the variant's own name unless one is given (`InterruptionBegin =
/// "Interruption.Begin"`).
macro_rules! wire_name {
    ($variant:ident) => {
        stringify!($variant)
    };
    ($variant:ident $wire:literal) => {
        $wire
    };
}

/// Declares payload structs. Each field is `pub rust_name: Type = "wireName" [limits]`, where the limits are
/// those of [`Limits`](crate::v16::schema::Limits), e.g. `[max_len = 20]` or `[min = 0]`. A struct may name
/// its role: `pub struct AuthorizeRequest: request "Authorize" -> AuthorizeResponse { .. }` or
/// `pub struct AuthorizeResponse: response "Authorize" { .. }`, which implements
/// [`Request`](crate::v16::Request) or [`Response`](crate::v16::Response).
macro_rules! message {
    ($(
        $(#[$meta:meta])*
        pub struct $name:ident $(: $role:ident $action:literal $(-> $response:ident)?)? {
            $(
                $(#[$fmeta:meta])*
                pub $field:ident : $ty:ty = $wire:literal $([$($limit:ident = $value:expr),* $(,)?])?
            ),* $(,)?
        }
    )*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(rename = $wire, skip_serializing_if = "crate::v16::schema::is_absent")]
                pub $field: $ty,
            )*
        }

        impl crate::v16::schema::Described for $name {
            const TY: crate::v16::schema::Ty = crate::v16::schema::Ty::Object(&[$(
                crate::v16::schema::Field {
                    name: $wire,
                    ty: <$ty as crate::v16::schema::Described>::TY,
                    required: <$ty as crate::v16::schema::Described>::REQUIRED,
                    limits: crate::v16::schema::Limits {
                        $($($limit: Some($value),)*)?
                        ..crate::v16::schema::Limits::NONE
                    },
                },
            )*]);
        }

        $(message!(@role $name $role $action $($response)?);)?
    )*};
    (@role $name:ident request $action:literal $response:ident) => {
        impl crate::v16::Request for $name {
            const ACTION: &'static str = $action;
            type Response = $response;
        }
    };
    (@role $name:ident response $action:literal) => {
        impl crate::v16::Response for $name {
            const ACTION: &'static str = $action;
        }
    };
}

/// Declares enumerations of string values. `lenient` ones get an `Other(String)` variant that keeps any value
/// the specification does not define, and read known values case-insensitively and through aliases
/// (`Celsius = "Celsius" | "Celcius"`); `strict` ones refuse unknown values (PropertyConstraintViolation).
macro_rules! ocpp_enum {
    ($(
        $(#[$meta:meta])*
        $mode:ident $name:ident {
            $($(#[$vmeta:meta])* $variant:ident $(= $wire:literal)? $(| $alias:literal)*),* $(,)?
        }
    )*) => {$(
        ocpp_enum!(@type $mode $(#[$meta])* $name { $($(#[$vmeta])* $variant),* });

        impl $name {
            /// The values the specification defines, as written on the wire.
            pub const VALUES: &'static [&'static str] = &[$(wire_name!($variant $($wire)?)),*];

            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                ocpp_enum!(@as_str $mode self $($variant $($wire)?),*)
            }

            fn known(s: &str) -> Option<Self> {
                match s {
                    $(wire_name!($variant $($wire)?) $(| $alias)* => Some(Self::$variant),)*
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl crate::v16::schema::Described for $name {
            const TY: crate::v16::schema::Ty = crate::v16::schema::Ty::Enum(&crate::v16::schema::EnumDesc {
                name: stringify!($name),
                values: Self::VALUES,
                aliases: &[$($($alias,)*)*],
                strict: ocpp_enum!(@strict $mode),
            });
        }

        ocpp_enum!(@parse $mode $name [$($($alias)*)*]);
    )*};

    (@type lenient $(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident),* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this crate does not know, kept as sent (lenient enum; see the `v16` module docs).
            Other(String),
        }
    };
    (@type strict $(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident),* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }
    };

    (@as_str lenient $self:ident $($variant:ident $($wire:literal)?),*) => {
        match $self {
            $(Self::$variant => wire_name!($variant $($wire)?),)*
            Self::Other(s) => s,
        }
    };
    (@as_str strict $self:ident $($variant:ident $($wire:literal)?),*) => {
        match $self {
            $(Self::$variant => wire_name!($variant $($wire)?),)*
        }
    };

    (@strict lenient) => { false };
    (@strict strict) => { true };

    (@parse lenient $name:ident [$($alias:literal)*]) => {
        impl $name {
            /// Reads a wire value: exact, then by alias, then ignoring ASCII case and surrounding blanks;
            /// anything else becomes `Other`.
            pub fn parse(s: &str) -> Self {
                const ALIASES: &[&str] = &[$($alias),*];
                Self::known(s)
                    .or_else(|| {
                        let t = s.trim();
                        let same = |v: &&&str| v.eq_ignore_ascii_case(t);
                        Self::VALUES.iter().chain(ALIASES).find(same).and_then(|v| Self::known(v))
                    })
                    .unwrap_or_else(|| Self::Other(s.to_string()))
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self::parse(s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Ok(Self::parse(&s))
            }
        }
    };
    (@parse strict $name:ident [$($alias:literal)*]) => {
        impl $name {
            /// Reads a wire value; only the exact values of the specification are accepted.
            pub fn parse(s: &str) -> Option<Self> {
                Self::known(s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::known(&s).ok_or_else(|| serde::de::Error::unknown_variant(&s, Self::VALUES))
            }
        }
    };
}

/// Declares the requests one side sends, as an enum with one variant per action, and the matching enum of
/// the responses it gets back. `opposite` names the other side's request enum, so an action that goes the
/// other way is told apart from one that does not exist (NotSupported versus NotImplemented).
macro_rules! actions {
    (
        $(#[$meta:meta])*
        pub enum $requests:ident, $(#[$rmeta:meta])* pub enum $responses:ident;
        sender $sender:ident, opposite $opposite:ident;
        $($action:ident($request:ident, $response:ident)),* $(,)?
    ) => {
        $(#[$meta])*
        // The variants are as big as their messages; one lives for one exchange, so boxing would only add
        // noise at every use.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq)]
        pub enum $requests {
            $($action($request),)*
        }

        $(#[$rmeta])*
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq)]
        pub enum $responses {
            $($action($response),)*
        }

        impl $requests {
            /// The action names this side sends, as spelled on the wire.
            pub const ACTIONS: &'static [&'static str] = &[$(stringify!($action)),*];

            /// The request and response of each action, with their descriptions (for tests and tools).
            pub const MESSAGES: &'static [MessageInfo] = &[$(
                MessageInfo {
                    action: stringify!($action),
                    from: Sender::$sender,
                    kind: Kind::Request,
                    ty: <$request as Described>::TY,
                    round_trip: round_trip::<$request>,
                },
                MessageInfo {
                    action: stringify!($action),
                    from: Sender::$sender.other(),
                    kind: Kind::Response,
                    ty: <$response as Described>::TY,
                    round_trip: round_trip::<$response>,
                },
            )*];

            /// Validates and decodes the payload of a CALL. `action` is case-sensitive, as in the
            /// specification; the error codes are those listed in the [`v16`](crate::v16) module docs.
            pub fn decode(action: &str, payload: &Value) -> Result<Self, DecodeError> {
                match action {
                    $(stringify!($action) => decode::<$request>(payload).map(Self::$action),)*
                    _ => Err(unknown_action(action, $opposite::ACTIONS.contains(&action))),
                }
            }

            pub fn action(&self) -> &'static str {
                match self {
                    $(Self::$action(_) => stringify!($action),)*
                }
            }

            /// The payload of the CALL that carries this request.
            pub fn to_payload(&self) -> Value {
                match self {
                    $(Self::$action(m) => to_payload(m),)*
                }
            }
        }

        impl $responses {
            /// Validates and decodes the CALLRESULT payload answering a CALL of `action`. An action this
            /// side does not send is NotImplemented (there is no CALLERROR to a CALLRESULT; this is for logs).
            pub fn decode(action: &str, payload: &Value) -> Result<Self, DecodeError> {
                match action {
                    $(stringify!($action) => decode::<$response>(payload).map(Self::$action),)*
                    _ => Err(unknown_action(action, false)),
                }
            }

            pub fn action(&self) -> &'static str {
                match self {
                    $(Self::$action(_) => stringify!($action),)*
                }
            }

            /// The payload of the CALLRESULT that carries this response.
            pub fn to_payload(&self) -> Value {
                match self {
                    $(Self::$action(m) => to_payload(m),)*
                }
            }
        }

        $(
            // Compile-time: the variant, the request and the response agree on the action and on each other.
            const _: () = {
                fn response_of(r: <$request as crate::v16::Request>::Response) -> $response {
                    r
                }
                let _ = response_of;
                assert!(same_str(<$request as crate::v16::Request>::ACTION, stringify!($action)));
                assert!(same_str(<$response as crate::v16::Response>::ACTION, stringify!($action)));
            };

            impl From<$request> for $requests {
                fn from(m: $request) -> Self {
                    Self::$action(m)
                }
            }
            impl From<$response> for $responses {
                fn from(m: $response) -> Self {
                    Self::$action(m)
                }
            }
        )*
    };
}
