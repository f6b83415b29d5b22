//! Tera templates, embedded in the binary, one Tera instance per language so that templates
//! call `t(key="…")` without passing the language around.

use rust_embed::RustEmbed;
use tera::{Context, Tera};

use crate::domain::Locale;
use crate::i18n::TeraTranslator;

#[derive(RustEmbed)]
#[folder = "templates/"]
struct TemplateFiles;

pub struct Templates {
    en: Tera,
    fr: Tera,
}

impl Templates {
    pub fn load() -> anyhow::Result<Templates> {
        Ok(Templates {
            en: build(Locale::En)?,
            fr: build(Locale::Fr)?,
        })
    }

    pub fn render(&self, locale: Locale, name: &str, context: &Context) -> tera::Result<String> {
        let tera = match locale {
            Locale::En => &self.en,
            Locale::Fr => &self.fr,
        };
        tera.render(name, context)
    }

    /// The names of every embedded template (for tests that render them all).
    pub fn names() -> Vec<String> {
        TemplateFiles::iter()
            .filter(|n| is_template(n))
            .map(|n| n.into_owned())
            .collect()
    }
}

fn is_template(name: &str) -> bool {
    name.ends_with(".html") || name.ends_with(".txt")
}

fn build(locale: Locale) -> anyhow::Result<Tera> {
    let mut tera = Tera::default();
    let mut sources = Vec::new();
    for name in TemplateFiles::iter().filter(|n| is_template(n)) {
        let file =
            TemplateFiles::get(&name).ok_or_else(|| anyhow::anyhow!("template {name} vanished"))?;
        let text = String::from_utf8(file.data.into_owned())?;
        sources.push((name.into_owned(), text));
    }
    tera.add_raw_templates(sources)?;
    tera.register_function("t", TeraTranslator(locale));
    Ok(tera)
}
