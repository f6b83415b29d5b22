//! `/feeds/things.atom?lang=&category=`: an Atom feed of new things, per language and
//! category (every language and category when absent, or `all`).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use atom_syndication::{Category as AtomCategory, Entry, Feed, Link, Person, Text};
use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};

use super::db;
use super::error::AppError;
use super::listing::ListQuery;
use super::locale::request_locale;
use super::state::AppState;
use crate::i18n;
use crate::models::discovery::{ListedThing, Sort};

/// Entries in a feed: the newest things.
pub const FEED_ENTRIES: i64 = 50;

fn instant(at: NaiveDateTime) -> DateTime<FixedOffset> {
    DateTime::<Utc>::from_naive_utc_and_offset(at, Utc).fixed_offset()
}

/// `GET /feeds/things.atom`: public and cacheable, so it reads neither the session nor the
/// signed-in user; its words follow the visitor's language (hence `Vary`).
pub async fn things(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let mut listing = query.listing(None, FEED_ENTRIES)?;
    listing.sort = Sort::New;
    listing.terms = None;
    listing.page = 1;
    let (language, category) = (listing.language, listing.category);
    let (things, _) = db::list_things(&state, listing).await?;
    let base = &state.settings.base_url;
    let locale = request_locale(&req);
    let mut scope: Vec<String> = Vec::new();
    if let Some(language) = language {
        scope.push(i18n::text(
            locale,
            &format!("content-language-{}", language.code()),
        ));
    }
    if let Some(category) = category {
        scope.push(i18n::text(locale, &format!("category-{}", category.code())));
    }
    let mut title = i18n::text(locale, "feed-title");
    if !scope.is_empty() {
        title = format!("{title} ({})", scope.join(" · "));
    }
    let here = req
        .uri()
        .path_and_query()
        .map_or("/feeds/things.atom", |p| p.as_str());
    let self_url = format!("{base}{here}");
    let browse = format!(
        "{base}/browse?sort=new&lang={}&category={}",
        language.map_or("all", |l| l.code()),
        category.map_or("all", |c| c.code())
    );
    let updated = things
        .first()
        .map(|t| instant(t.created_at))
        .unwrap_or_else(|| instant(state.clock.now().naive_utc()));
    let feed = Feed {
        title: Text::plain(title),
        id: self_url.clone(),
        updated,
        lang: Some(locale.code().to_owned()),
        links: vec![
            link(&self_url, "self", Some("application/atom+xml")),
            link(&browse, "alternate", Some("text/html")),
        ],
        entries: things.iter().map(|t| entry(base, t)).collect(),
        ..Feed::default()
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .insert_header((header::VARY, "Accept-Language, Cookie"))
        .body(feed.to_string()))
}

fn link(href: &str, rel: &str, mime_type: Option<&str>) -> Link {
    Link {
        href: href.to_owned(),
        rel: rel.to_owned(),
        mime_type: mime_type.map(str::to_owned),
        ..Link::default()
    }
}

fn entry(base: &str, thing: &ListedThing) -> Entry {
    let page = format!("{base}/t/{}", thing.id);
    let author = Person {
        name: thing.creator_name.clone(),
        uri: thing
            .creator_handle
            .as_ref()
            .map(|h| format!("{base}/c/{h}")),
        ..Person::default()
    };
    Entry {
        title: Text::plain(thing.title.clone()),
        id: page.clone(),
        updated: instant(thing.created_at),
        published: Some(instant(thing.created_at)),
        authors: vec![author],
        categories: vec![AtomCategory {
            term: thing.category.clone(),
            ..AtomCategory::default()
        }],
        links: vec![
            link(&thing.url, "alternate", None),
            // Flattr's convention: where to tip this page.
            link(&page, "payment", Some("text/html")),
        ],
        summary: (!thing.description.is_empty()).then(|| Text::plain(thing.description.clone())),
        ..Entry::default()
    }
}
