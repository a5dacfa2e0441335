//! OAuth 1.0a request signing (RFC 5849, HMAC-SHA1), as X's API v2 wants for user context.
//!
//! Kept apart from the X client so the one thing that must be byte-exact, the signature base
//! string, is tested against the published examples.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha1::Sha1;

use super::Secret;

/// RFC 5849 section 3.6: everything but the unreserved characters is encoded, in upper-case hex.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// RFC 5849 percent-encoding.
pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, ENCODE).to_string()
}

/// The four credentials of a user-context request.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub consumer_key: String,
    pub consumer_secret: Secret,
    pub token: String,
    pub token_secret: Secret,
}

/// The signature base string (section 3.4.1): method, base URL and the normalized parameters
/// (query, form body and `oauth_*` parameters, already decoded), each encoded and joined by `&`.
pub fn base_string(method: &str, base_url: &str, params: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> =
        params.iter().map(|(k, v)| (encode(k), encode(v))).collect();
    encoded.sort();
    let normalized = encoded
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        encode(base_url),
        encode(&normalized)
    )
}

/// HMAC-SHA1 of the base string with `consumer_secret&token_secret`, base64 (section 3.4.2).
pub fn sign(base: &str, consumer_secret: &str, token_secret: &str) -> String {
    let key = format!("{}&{}", encode(consumer_secret), encode(token_secret));
    // HMAC takes keys of any length: this can't fail.
    let mut mac = match Hmac::<Sha1>::new_from_slice(key.as_bytes()) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(base.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The `oauth_*` protocol parameters of a request, without the signature.
pub fn protocol_params(creds: &Credentials, nonce: &str, timestamp: i64) -> Vec<(String, String)> {
    vec![
        ("oauth_consumer_key".into(), creds.consumer_key.clone()),
        ("oauth_nonce".into(), nonce.to_owned()),
        ("oauth_signature_method".into(), "HMAC-SHA1".into()),
        ("oauth_timestamp".into(), timestamp.to_string()),
        ("oauth_token".into(), creds.token.clone()),
        ("oauth_version".into(), "1.0".into()),
    ]
}

/// The `Authorization: OAuth ...` header of a request to `base_url` (no query) with the given
/// query or form parameters. A JSON body is not signed (X's v2 endpoints take JSON).
pub fn authorization(
    creds: &Credentials,
    method: &str,
    base_url: &str,
    request_params: &[(String, String)],
    nonce: &str,
    timestamp: i64,
) -> String {
    let oauth = protocol_params(creds, nonce, timestamp);
    let mut all = oauth.clone();
    all.extend_from_slice(request_params);
    let signature = sign(
        &base_string(method, base_url, &all),
        creds.consumer_secret.expose(),
        creds.token_secret.expose(),
    );
    let mut fields: Vec<String> = oauth
        .iter()
        .map(|(k, v)| format!("{}=\"{}\"", encode(k), encode(v)))
        .collect();
    fields.push(format!("oauth_signature=\"{}\"", encode(&signature)));
    format!("OAuth {}", fields.join(", "))
}

/// The parameters of an `Authorization: OAuth ...` header, decoded (for servers and tests).
pub fn parse_authorization(header: &str) -> Option<Vec<(String, String)>> {
    let rest = header.trim().strip_prefix("OAuth ")?;
    rest.split(',')
        .map(|field| {
            let (k, v) = field.trim().split_once('=')?;
            let v = v.trim().strip_prefix('"')?.strip_suffix('"')?;
            Some((decode(k.trim())?, decode(v)?))
        })
        .collect()
}

/// Percent-decoding (for [`parse_authorization`]).
pub fn decode(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
}

/// A random nonce: 32 alphanumeric characters.
pub fn nonce() -> String {
    use rand::distributions::{Alphanumeric, DistString};
    Alphanumeric.sample_string(&mut rand::thread_rng(), 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(k: &str, v: &str) -> (String, String) {
        (k.to_owned(), v.to_owned())
    }

    /// RFC 5849 section 3.4.1.1's example request, parameters as decoded in 3.4.1.3.1.
    #[test]
    fn rfc_5849_base_string_example() {
        let params = vec![
            p("b5", "=%3D"),
            p("a3", "a"),
            p("c@", ""),
            p("a2", "r b"),
            p("oauth_consumer_key", "9djdj82h48djs9d2"),
            p("oauth_token", "kkk9d7dh3k39sjv7"),
            p("oauth_signature_method", "HMAC-SHA1"),
            p("oauth_timestamp", "137131201"),
            p("oauth_nonce", "7d8f3e4a"),
            p("c2", ""),
            p("a3", "2 q"),
        ];
        assert_eq!(
            base_string("POST", "http://example.com/request", &params),
            "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q\
             %26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_\
             key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m\
             ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk\
             9d7dh3k39sjv7"
        );
    }

    /// Twitter's documented example ("Creating a signature"): base string and signature.
    #[test]
    fn twitter_documented_signature_example() {
        let creds = Credentials {
            consumer_key: "xvz1evFS4wEEPTGEFPHBog".into(),
            consumer_secret: Secret::new("kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw"),
            token: "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb".into(),
            token_secret: Secret::new("LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"),
        };
        let nonce = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg";
        let mut params = protocol_params(&creds, nonce, 1318622958);
        params.push(p(
            "status",
            "Hello Ladies + Gentlemen, a signed OAuth request!",
        ));
        params.push(p("include_entities", "true"));
        let url = "https://api.twitter.com/1.1/statuses/update.json";
        let base = base_string("post", url, &params);
        assert_eq!(
            base,
            "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities\
             %3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabx\
             SWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D\
             1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth\
             _version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520sig\
             ned%2520OAuth%2520request%2521"
        );
        assert_eq!(
            sign(
                &base,
                creds.consumer_secret.expose(),
                creds.token_secret.expose()
            ),
            "hCtSmYh+iHYCEqBWrE7C7hYmtUk="
        );
        let header = authorization(
            &creds,
            "POST",
            url,
            &[
                p(
                    "status",
                    "Hello Ladies + Gentlemen, a signed OAuth request!",
                ),
                p("include_entities", "true"),
            ],
            nonce,
            1318622958,
        );
        assert!(header.contains("oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\""));
        let parsed = parse_authorization(&header).expect("parses");
        assert!(parsed.contains(&p("oauth_signature", "hCtSmYh+iHYCEqBWrE7C7hYmtUk=")));
        assert!(
            !format!("{creds:?}").contains("kAcSOq"),
            "secrets never print"
        );
    }

    #[test]
    fn encoding_keeps_only_unreserved_characters() {
        assert_eq!(encode("a-b.c_d~e f+g/é"), "a-b.c_d~e%20f%2Bg%2F%C3%A9");
    }
}
