//! The issuer's RSA signing keys: made at start (2048 bits, from the OS RNG), published as a
//! JWKS, rotated on demand. The previous key stays published so tokens it signed still verify
//! until they expire, as Entra does.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use serde_json::{json, Value};

const BITS: usize = 2048;

pub struct SigningKey {
    pub kid: String,
    encoding: EncodingKey,
    /// Base64url modulus and exponent, as a JWK carries them.
    n: String,
    e: String,
}

impl SigningKey {
    pub fn generate() -> SigningKey {
        let private = rsa::PrivateKey::new(&mut getrandom::SysRng, BITS)
            .expect("the OS RNG makes an RSA key");
        let der = private
            .to_pkcs1_der()
            .expect("a two-prime key encodes as PKCS#1");
        SigningKey {
            kid: super::random_token(12),
            encoding: EncodingKey::from_rsa_der(der.as_bytes()),
            n: URL_SAFE_NO_PAD.encode(private.n_bytes()),
            e: URL_SAFE_NO_PAD.encode(private.e_bytes()),
        }
    }

    pub fn jwk(&self) -> Value {
        json!({"kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid, "n": self.n, "e": self.e})
    }

    /// `claims` signed RS256, with `kid` in the header (normally this key's own).
    pub fn sign(&self, claims: &Value, kid: &str) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(kid.to_owned());
        encode(&header, claims, &self.encoding).expect("RS256 signs any JSON claims")
    }
}

/// The current key first, then the one before it (if any).
pub struct KeyRing {
    keys: Vec<SigningKey>,
}

impl KeyRing {
    pub fn new() -> KeyRing {
        KeyRing {
            keys: vec![SigningKey::generate()],
        }
    }

    pub fn current(&self) -> &SigningKey {
        &self.keys[0]
    }

    /// A new current key; the old one stays published, the one before it goes.
    pub fn rotate(&mut self) {
        self.keys.insert(0, SigningKey::generate());
        self.keys.truncate(2);
    }

    pub fn jwks(&self) -> Value {
        json!({"keys": self.keys.iter().map(SigningKey::jwk).collect::<Vec<_>>()})
    }
}
