//! `/browse`: public things by language, category and popularity, and search.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::domain::thing::{Category, ContentLanguage};
use crate::models::discovery::{ListedThing, Sort};
use crate::web::db;
use crate::web::error::AppError;
use crate::web::listing::ListQuery;
use crate::web::page::Page;

pub const PER_PAGE: i64 = 20;
/// Descriptions are cut to this many characters in lists.
const EXCERPT_CHARS: usize = 240;

/// A thing as lists show it (browse, search, creator pages).
#[derive(Serialize)]
pub struct Card {
    id: i64,
    title: String,
    url: String,
    excerpt: String,
    language: String,
    category: String,
    creator_name: String,
    creator_handle: Option<String>,
    clicks: i64,
}

impl From<ListedThing> for Card {
    fn from(t: ListedThing) -> Card {
        let mut excerpt: String = t.description.chars().take(EXCERPT_CHARS).collect();
        if t.description.chars().count() > EXCERPT_CHARS {
            excerpt.push('…');
        }
        Card {
            id: t.id,
            title: t.title,
            url: t.url,
            excerpt,
            language: t.language,
            category: t.category,
            creator_name: t.creator_name,
            creator_handle: t.creator_handle,
            clicks: t.clicks_this_month,
        }
    }
}

/// `/browse?…` with some parameters replaced (`None` leaves one out).
fn url(pairs: &[(&str, Option<&str>)]) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            query.append_pair(name, value);
        }
    }
    format!("/browse?{}", query.finish())
}

/// `/browse?q=&lang=&category=&sort=&page=`. Without a language (or with `lang=all`), every
/// language is listed, the visitor's first: a search must find what exists, whatever
/// language the visitor reads the site in. A language given filters.
pub async fn show(page: Page, query: web::Query<ListQuery>) -> Result<HttpResponse, AppError> {
    let mut listing = query.listing(None, PER_PAGE)?;
    let visitors = page.locale.content_language();
    listing.preferred_language = listing.language.is_none().then_some(visitors);
    // One form sends the words and the sort: "best match" is its default, so that a search
    // typed on a page sorted by popularity is still ranked (without words it means popular).
    if query.sort.as_deref().is_none_or(|s| s.trim().is_empty()) {
        listing.sort = Sort::Relevance;
    }
    let (q, lang, category, sort, number) = (
        query.text().map(str::to_owned),
        listing.language.map_or("all", ContentLanguage::code),
        listing.category.map_or("all", Category::code),
        listing.sort,
        listing.page,
    );
    let (things, total) = db::list_things(&page.state, listing).await?;
    let pages = (total.count + PER_PAGE - 1) / PER_PAGE;
    // A search counted up to its limit: a full page may have a next one.
    let has_next =
        number < pages || (total.more && i64::try_from(things.len()).is_ok_and(|n| n == PER_PAGE));
    let here = |lang: &str, page: Option<String>| {
        url(&[
            ("q", q.as_deref()),
            ("lang", Some(lang)),
            ("category", Some(category)),
            ("sort", query.sort.as_deref().map(str::trim)),
            ("page", page.as_deref()),
        ])
    };
    let sorts: Vec<&str> = [Sort::Relevance, Sort::Popular, Sort::New, Sort::AllTime]
        .into_iter()
        .map(Sort::code)
        .collect();
    let mut context = page.context();
    context.insert("q", &q);
    // Not `lang`: the layout uses it for the page's own language.
    context.insert("filter_lang", lang);
    // Every language, the visitor's first: the count says so, and how to narrow.
    context.insert("first_language", visitors.code());
    context.insert("category", category);
    context.insert("sort", sort.code());
    context.insert("sorts", &sorts);
    context.insert(
        "languages_list",
        &ContentLanguage::ALL
            .iter()
            .map(|c| c.code())
            .collect::<Vec<_>>(),
    );
    context.insert(
        "categories",
        &Category::ALL.iter().map(|c| c.code()).collect::<Vec<_>>(),
    );
    context.insert(
        "things",
        &things.into_iter().map(Card::from).collect::<Vec<_>>(),
    );
    context.insert("total", &total.count);
    context.insert("more", &total.more);
    context.insert("page_number", &number);
    context.insert("pages", &pages);
    context.insert(
        "prev_url",
        &(number > 1).then(|| here(lang, Some((number - 1).to_string()))),
    );
    context.insert(
        "next_url",
        &has_next.then(|| here(lang, Some((number + 1).to_string()))),
    );
    context.insert(
        "all_languages_url",
        &(lang != "all").then(|| here("all", None)),
    );
    context.insert(
        "feed_url",
        &format!("/feeds/things.atom?lang={lang}&category={category}"),
    );
    page.render("pages/browse.html", &context)
}
