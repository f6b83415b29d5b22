//! Templates, translations and assets are embedded in the binary; cargo must rebuild when any
//! of them changes, which it does not infer for the embedding macros on its own.

fn main() {
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=assets");
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=build.rs");
}
