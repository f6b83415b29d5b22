//! HTTP: routes, middleware and handlers. Handlers parse input into domain types, call plain
//! functions, and render; they hold no business rules.

pub mod api;
pub mod assets;
pub mod badge;
pub mod button;
pub mod chart;
pub mod csv_export;
pub mod db;
pub mod error;
pub mod feeds;
pub mod health;
pub mod idempotency;
pub mod journey;
pub mod limits;
pub mod listing;
pub mod locale;
pub mod localize_errors;
pub mod metrics;
pub mod middleware;
pub mod page;
pub mod pages;
pub mod params;
pub mod session;
pub mod site_check;
pub mod state;
pub mod token_cache;
pub mod top_up;
pub mod webhooks;

use actix_session::SessionMiddleware;
use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::storage::CookieSessionStore;
use actix_web::body::MessageBody;
use actix_web::cookie::{Key, SameSite, time::Duration as CookieDuration};
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{DefaultHeaders, from_fn};
use actix_web::{App, web};

use state::AppState;

pub const SESSION_COOKIE: &str = "obole_session";

/// Sent on every response. The CSP allows nothing from other origins and forbids framing
/// (clickjacking of the click confirmation); `form-action 'self'` keeps forms on this site.
const SECURITY_HEADERS: [(&str, &str); 5] = [
    (
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
];

/// The whole application, as `obole serve` and the tests run it.
pub fn app(
    state: web::Data<AppState>,
    key: Key,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Response = ServiceResponse<impl MessageBody>,
        Config = (),
        InitError = (),
        Error = actix_web::Error,
    >,
> {
    let secure = state.settings.is_https();
    let session = SessionMiddleware::builder(CookieSessionStore::default(), key)
        .cookie_name(SESSION_COOKIE.to_owned())
        .cookie_secure(secure)
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_content_security(CookieContentSecurity::Private)
        .session_lifecycle(PersistentSession::default().session_ttl(CookieDuration::days(30)))
        .build();
    let mut headers = SECURITY_HEADERS
        .iter()
        .fold(DefaultHeaders::new(), |h, pair| h.add(*pair));
    if secure {
        // Browsers that once reached Obole over https never fall back to plain http.
        headers = headers.add(("Strict-Transport-Security", "max-age=31536000"));
    }
    let form = web::FormConfig::default()
        .limit(64 * 1024)
        .error_handler(|_, _| error::AppError::User(error::ErrorCode::InvalidForm).into());
    App::new()
        .app_data(state)
        .app_data(form)
        .wrap(from_fn(middleware::head_as_get))
        .wrap(from_fn(localize_errors::localize_errors))
        .wrap(session)
        .wrap(from_fn(middleware::no_cookie_when_public))
        .wrap(headers)
        .wrap(tracing_actix_web::TracingLogger::default())
        // Outermost: it counts every answer with its final status.
        .wrap(from_fn(metrics::track))
        .configure(routes)
}

fn routes(cfg: &mut web::ServiceConfig) {
    use pages::{
        accounts, browse, budget, clicks, contributions, creator, dashboard, deletion, earnings,
        email_links, errors, funds, home, oauth, operator, operator_sites, payouts, profile,
        settings, sites, thing, things,
    };
    // actix tries routes in order, and each path with a parameter is a regular expression to
    // run: the hot ones (the API, the button) come first.
    cfg.configure(api::routes)
        .route("/t/{id}/badge.svg", web::get().to(badge::serve))
        .route("/t/{id}", web::get().to(thing::show))
        .route("/t/{id}/click", web::post().to(thing::click))
        .route("/t/{id}/undo", web::post().to(thing::undo))
        .route("/t/{id}/note", web::post().to(pages::supporters::change))
        .route(
            "/t/{id}/subscribe",
            web::post().to(pages::subscriptions::subscribe),
        )
        .route(
            "/t/{id}/unsubscribe",
            web::post().to(pages::subscriptions::unsubscribe),
        )
        .route("/embed.js", web::get().to(assets::embed_script))
        .route("/", web::get().to(home::show))
        .route("/healthz", web::get().to(health::check))
        .route("/metrics", web::get().to(metrics::serve))
        .route("/signup", web::get().to(accounts::sign_up_form))
        .route("/signup", web::post().to(accounts::sign_up))
        .route("/login", web::get().to(accounts::log_in_form))
        .route("/login", web::post().to(accounts::log_in_submit))
        .route("/logout", web::post().to(accounts::log_out_submit))
        .route(
            "/logout/everywhere",
            web::post().to(accounts::log_out_everywhere),
        )
        .route("/auth/complete", web::get().to(oauth::email::email_form))
        .route("/auth/complete", web::post().to(oauth::email::email_submit))
        .route("/auth/confirm", web::get().to(oauth::confirm::form))
        .route("/auth/confirm", web::post().to(oauth::confirm::submit))
        .route("/auth/{provider}", web::get().to(oauth::start))
        .route("/auth/{provider}", web::post().to(oauth::start_link))
        .route("/auth/{provider}/callback", web::get().to(oauth::callback))
        .route("/settings", web::get().to(settings::show))
        .route(
            "/settings/export.zip",
            web::get().to(pages::export::download),
        )
        .route("/settings/sites", web::get().to(sites::show))
        .route("/settings/sites", web::post().to(sites::add))
        .route("/settings/sites/{id}/check", web::post().to(sites::check))
        .route("/settings/sites/{id}/remove", web::post().to(sites::remove))
        .route("/settings/profile", web::get().to(profile::show))
        .route("/settings/profile", web::post().to(profile::save))
        .route("/browse", web::get().to(browse::show))
        .route("/c/{handle}", web::get().to(creator::show))
        .route("/feeds/things.atom", web::get().to(feeds::things))
        .route("/transparency/key", web::get().to(api::transparency::key))
        .route(
            "/settings/providers/{provider}/unlink",
            web::post().to(settings::unlink),
        )
        .route("/dashboard", web::get().to(dashboard::show))
        .route("/continue", web::get().to(journey::resume))
        .route("/funds", web::get().to(funds::show))
        .route("/funds/redeem", web::post().to(funds::redeem))
        .route("/funds.csv", web::get().to(funds::csv))
        .route("/funds/card", web::post().to(funds::card))
        .route("/webhooks/stripe", web::post().to(webhooks::stripe))
        .route("/budget", web::get().to(budget::show))
        .route("/budget", web::post().to(budget::save))
        .route("/operator/sites", web::get().to(operator_sites::show))
        .route("/operator/sites", web::post().to(operator_sites::grant))
        .route("/operator/vouchers", web::get().to(operator::vouchers_page))
        .route("/operator/vouchers", web::post().to(operator::issue))
        .route(
            "/operator/settlements",
            web::get().to(operator::settlements_page),
        )
        .route("/lang/{code}", web::get().to(locale::switch))
        .route("/assets/{path:.*}", web::get().to(assets::serve))
        .route("/things", web::get().to(things::mine))
        .route("/things/new", web::get().to(things::new_form))
        .route("/things/new", web::post().to(things::create))
        .route("/things/{id}/edit", web::get().to(things::edit_form))
        .route("/things/{id}/edit", web::post().to(things::update))
        .route("/things/{id}/embed", web::get().to(things::embed))
        .route("/clicks", web::get().to(clicks::show))
        .route("/earnings", web::get().to(earnings::show))
        .route("/supporters", web::get().to(pages::supporters::show))
        .route("/earnings.csv", web::get().to(earnings::csv))
        .route(
            "/earnings/{month}/statement",
            web::get().to(earnings::statement),
        )
        .route("/contributions", web::get().to(contributions::show))
        .route("/contributions.csv", web::get().to(contributions::csv))
        .route(
            "/contributions/receipt/{month}.json",
            web::get().to(pages::receipt::download),
        )
        .route("/transparency", web::get().to(pages::transparency::index))
        // Any fixed path under /transparency/ (such as the key) goes above this one.
        .route(
            "/transparency/{month}",
            web::get().to(pages::transparency::month),
        )
        .route(
            "/contributions/year/{year}/statement",
            web::get().to(pages::year::contributions_statement),
        )
        .route(
            "/earnings/year/{year}/statement",
            web::get().to(pages::year::earnings_statement),
        )
        .route("/payouts", web::get().to(payouts::show))
        .route("/payouts", web::post().to(payouts::request))
        .route("/payouts/to-funds", web::post().to(payouts::to_funds))
        .route("/operator/payouts", web::get().to(operator::payouts_page))
        .route(
            "/operator/payouts/sepa",
            web::post().to(pages::operator_batches::export),
        )
        .route(
            "/operator/payouts/batches/{id}.xml",
            web::get().to(pages::operator_batches::file),
        )
        .route(
            "/operator/payouts/batches/{id}/sent",
            web::post().to(pages::operator_batches::mark_sent),
        )
        .route(
            "/operator/payouts/batches/{id}/cancel",
            web::post().to(pages::operator_batches::cancel),
        )
        .route(
            "/operator/payouts/{id}",
            web::post().to(operator::decide_payout),
        )
        .route(
            "/operator/disputes",
            web::get().to(pages::operator_disputes::show),
        )
        .route("/verify-email", web::get().to(email_links::verify))
        .route("/verify-email/resend", web::post().to(email_links::resend))
        .route("/password/forgot", web::get().to(email_links::forgot_form))
        .route("/password/forgot", web::post().to(email_links::forgot))
        .route("/password/reset", web::get().to(email_links::reset_form))
        .route("/password/reset", web::post().to(email_links::reset))
        .route("/settings/delete", web::get().to(deletion::show))
        .route("/settings/delete", web::post().to(deletion::step))
        .route(
            "/settings/delete/confirm",
            web::post().to(deletion::confirm),
        )
        .route("/account-deleted", web::get().to(deletion::done))
        .route("/privacy", web::get().to(deletion::privacy))
        .default_service(web::to(errors::not_found));
}
