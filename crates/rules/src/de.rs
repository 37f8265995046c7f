//! Lenient field deserializers: hand-written rules and Kibana exports are not
//! always consistent (a single tag as a string, a risk score as "47"), and we
//! would rather accept them than reject a user's rule over a formality.

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// A string or a list of strings; `null` is an empty list.
pub fn string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string or a list of strings")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(vec![v.to_owned()])
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(V)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(s) = seq.next_element::<String>()? {
                out.push(s);
            }
            Ok(out)
        }
    }
    d.deserialize_any(V)
}

/// A non-negative integer given as an integer, a whole float or a string.
struct LenientU32(u32);

impl<'de> Deserialize<'de> for LenientU32 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = LenientU32;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a non-negative integer")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<LenientU32, E> {
                u32::try_from(v)
                    .map(LenientU32)
                    .map_err(|_| E::custom(format!("integer {v} is too large")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<LenientU32, E> {
                u32::try_from(v)
                    .map(LenientU32)
                    .map_err(|_| E::custom(format!("expected a non-negative integer, found {v}")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<LenientU32, E> {
                if v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&v) {
                    Ok(LenientU32(v as u32))
                } else {
                    Err(E::custom(format!(
                        "expected a non-negative integer, found {v}"
                    )))
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<LenientU32, E> {
                v.trim()
                    .parse()
                    .map(LenientU32)
                    .map_err(|_| E::custom(format!("expected a non-negative integer, found {v:?}")))
            }
        }
        d.deserialize_any(V)
    }
}

pub fn opt_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    Ok(Option::<LenientU32>::deserialize(d)?.map(|v| v.0))
}

/// `max_signals` defaults to 100 in Kibana, also when given as `null`.
pub fn max_signals<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    Ok(opt_u32(d)?.unwrap_or(crate::model::DEFAULT_MAX_SIGNALS))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct T {
        #[serde(default, deserialize_with = "super::string_list")]
        l: Vec<String>,
        #[serde(default, deserialize_with = "super::opt_u32")]
        n: Option<u32>,
    }

    #[test]
    fn accepts_loose_shapes() {
        let t: T = serde_json::from_str(r#"{"l":"a","n":"47"}"#).unwrap();
        assert_eq!((t.l, t.n), (vec!["a".to_string()], Some(47)));
        let t: T = serde_json::from_str(r#"{"l":["a","b"],"n":21.0}"#).unwrap();
        assert_eq!((t.l.len(), t.n), (2, Some(21)));
        let t: T = serde_json::from_str(r#"{"l":null,"n":null}"#).unwrap();
        assert_eq!((t.l.len(), t.n), (0, None));
        assert!(serde_json::from_str::<T>(r#"{"n":-1}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"l":[1]}"#).is_err());
    }
}
