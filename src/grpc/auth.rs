//! Optional bearer-token authentication for the analyzer service.
//!
//! Tokens come from a file (one per line, `#` comments) or the environment; a request must carry
//! `authorization: Bearer <token>` with one of them, compared in constant time. Health checks stay open:
//! the interceptor wraps only `gleaner.v1.ArticleAnalyzer`.

use std::sync::Arc;

use subtle::ConstantTimeEq;
use tonic::service::Interceptor;
use tonic::{Request, Status};

/// The accepted tokens, or none when authentication is off.
#[derive(Clone, Default)]
pub struct BearerAuth {
    tokens: Option<Arc<Vec<Vec<u8>>>>,
}

impl std::fmt::Debug for BearerAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the tokens themselves.
        f.debug_struct("BearerAuth")
            .field("tokens", &self.tokens.as_ref().map(|t| t.len()))
            .finish()
    }
}

impl BearerAuth {
    /// Authentication off: every request passes.
    pub fn disabled() -> Self {
        BearerAuth { tokens: None }
    }

    /// Accepts the given tokens (blank ones are ignored). With no token at all, authentication is off.
    pub fn with_tokens<I, S>(tokens: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let list: Vec<Vec<u8>> = tokens
            .into_iter()
            .map(|t| t.as_ref().trim().as_bytes().to_vec())
            .filter(|t| !t.is_empty())
            .collect();
        BearerAuth {
            tokens: (!list.is_empty()).then(|| Arc::new(list)),
        }
    }

    /// Parses a token file: one token per line, blank lines and `#` comments ignored.
    pub fn from_file_contents(contents: &str) -> Self {
        BearerAuth::with_tokens(
            contents
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#')),
        )
    }

    /// Whether requests must carry a token.
    pub fn is_enabled(&self) -> bool {
        self.tokens.is_some()
    }

    fn accepts(&self, presented: &[u8]) -> bool {
        let Some(tokens) = &self.tokens else {
            return true;
        };
        // Compare against every token so that timing does not reveal which one matched.
        tokens.iter().fold(0u8, |found, t| {
            found | u8::from(bool::from(t.as_slice().ct_eq(presented)))
        }) == 1
    }
}

impl Interceptor for BearerAuth {
    fn call(&mut self, request: Request<()>) -> Result<Request<()>, Status> {
        if !self.is_enabled() {
            return Ok(request);
        }
        let header = request
            .metadata()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim);
        match token {
            Some(t) if self.accepts(t.as_bytes()) => Ok(request),
            Some(_) => Err(Status::unauthenticated("invalid bearer token")),
            None => Err(Status::unauthenticated(
                "missing bearer token: send `authorization: Bearer <token>`",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(auth: &mut BearerAuth, header: Option<&str>) -> Result<(), tonic::Code> {
        let mut req = Request::new(());
        if let Some(h) = header {
            req.metadata_mut()
                .insert("authorization", h.parse().expect("ascii header"));
        }
        auth.call(req).map(|_| ()).map_err(|s| s.code())
    }

    #[test]
    fn tokens_are_checked() {
        let mut auth = BearerAuth::from_file_contents("# tokens\nalpha\n\n beta \n");
        assert!(auth.is_enabled());
        assert_eq!(call(&mut auth, Some("Bearer alpha")), Ok(()));
        assert_eq!(call(&mut auth, Some("Bearer beta")), Ok(()));
        assert_eq!(
            call(&mut auth, Some("Bearer gamma")),
            Err(tonic::Code::Unauthenticated)
        );
        assert_eq!(
            call(&mut auth, Some("Bearer alph")),
            Err(tonic::Code::Unauthenticated)
        );
        assert_eq!(
            call(&mut auth, Some("Basic alpha")),
            Err(tonic::Code::Unauthenticated)
        );
        assert_eq!(call(&mut auth, None), Err(tonic::Code::Unauthenticated));
    }

    #[test]
    fn no_tokens_means_open() {
        let mut auth = BearerAuth::with_tokens(["", "  "]);
        assert!(!auth.is_enabled());
        assert_eq!(call(&mut auth, None), Ok(()));
        assert!(!format!("{:?}", BearerAuth::with_tokens(["secret"])).contains("secret"));
    }
}
