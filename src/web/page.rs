//! What every HTML page needs: the language, the signed-in user, the CSRF token for its forms
//! and the current path (for the language switcher). Handlers extract a [`Page`], add their
//! own values and call [`Page::render`].

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt as _};
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType};
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use serde::Serialize;
use tera::Context;

use super::error::AppError;
use super::locale::request_locale;
use super::session::{SessionUser, csrf_token};
use super::state::AppState;
use crate::domain::Locale;
use crate::models::users::UserRow;

/// The signed-in user as pages show them.
#[derive(Debug, Clone, Serialize)]
pub struct Viewer {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub is_operator: bool,
}

impl Viewer {
    pub fn user_id(&self) -> crate::domain::UserId {
        crate::domain::UserId(self.id)
    }
}

impl From<&UserRow> for Viewer {
    fn from(row: &UserRow) -> Self {
        Viewer {
            id: row.id,
            email: row.email.clone(),
            display_name: row.display_name.clone(),
            is_operator: row.is_operator,
        }
    }
}

pub struct Page {
    pub state: web::Data<AppState>,
    pub session: Session,
    pub locale: Locale,
    pub viewer: Option<Viewer>,
    pub csrf_token: String,
    /// Path and query of this request, for "come back here" links.
    pub here: String,
}

impl Page {
    pub async fn from_http(req: &HttpRequest) -> Result<Page, AppError> {
        let state = req
            .app_data::<web::Data<AppState>>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("application state missing")))?;
        let session = req.get_session();
        let locale = request_locale(req);
        let csrf_token = csrf_token(&session)?;
        let viewer = SessionUser::extract(req)
            .await
            .ok()
            .map(|signed_in| Viewer::from(&signed_in.user));
        let here = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".into());
        Ok(Page {
            state,
            session,
            locale,
            viewer,
            csrf_token,
            here,
        })
    }

    /// The values the layout needs; handlers insert their own on top.
    pub fn context(&self) -> Context {
        layout_context(
            self.locale,
            self.viewer.as_ref(),
            &self.csrf_token,
            &self.here,
        )
    }

    /// Where a page that needs a signed-in user sends everybody else: log in, then come back.
    pub fn login_redirect(&self) -> HttpResponse {
        HttpResponse::SeeOther()
            .insert_header((
                header::LOCATION,
                format!("/login?next={}", urlencode(&self.here)),
            ))
            .finish()
    }

    /// Formats money in this page's language and the instance's currency.
    pub fn money(&self, amount: crate::domain::Money) -> String {
        amount.format(self.locale, self.state.settings.currency)
    }

    pub fn render(&self, template: &str, context: &Context) -> Result<HttpResponse, AppError> {
        self.render_with_status(StatusCode::OK, template, context)
    }

    pub fn render_with_status(
        &self,
        status: StatusCode,
        template: &str,
        context: &Context,
    ) -> Result<HttpResponse, AppError> {
        let html = self
            .state
            .templates
            .render(self.locale, template, context)
            .map_err(|e| {
                AppError::Internal(anyhow::Error::new(e).context(format!("rendering {template}")))
            })?;
        Ok(HttpResponse::build(status)
            .content_type(ContentType::html())
            // Pages carry a per-session CSRF token and depend on the language and the session.
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header((header::VARY, "Accept-Language, Cookie"))
            .body(html))
    }
}

/// Percent-encodes a path for a query string (RFC 3986 unreserved characters and `/` stay).
pub(crate) fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The layout's values, also used by error pages, which have no [`Page`].
pub fn layout_context(
    locale: Locale,
    viewer: Option<&Viewer>,
    csrf_token: &str,
    here: &str,
) -> Context {
    let mut context = Context::new();
    context.insert("lang", locale.code());
    context.insert("viewer", &viewer);
    context.insert("csrf_token", csrf_token);
    context.insert("here", here);
    let languages: Vec<LanguageLink> = Locale::ALL
        .iter()
        .map(|l| LanguageLink {
            code: l.code(),
            name: l.native_name(),
            current: *l == locale,
        })
        .collect();
    context.insert("languages", &languages);
    context
}

#[derive(Serialize)]
struct LanguageLink {
    code: &'static str,
    name: &'static str,
    current: bool,
}

impl FromRequest for Page {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Page, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Page::from_http(&req).await })
    }
}
