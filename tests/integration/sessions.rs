//! The generated session key is kept in the data folder, so sessions survive a restart.

use reqwest::StatusCode;

use crate::helpers::html::{cookie_pair, session_cookie};
use crate::helpers::spawn_app;

#[tokio::test]
async fn a_session_survives_a_restart_with_the_generated_key() {
    let app = spawn_app().await;
    let user = app.a_user().create().await;
    let logged_in = app.log_in(&app.visitor(), &user).await;
    let cookie = cookie_pair(&session_cookie(&logged_in).expect("session cookie")).to_owned();
    let key_file = app.data_dir().join("secret_key");
    assert!(key_file.exists(), "a key was generated in the data folder");

    let app = app.restart().await;
    let dashboard = app
        .api()
        .get(app.url("/dashboard"))
        .header("Cookie", &cookie)
        .send()
        .await
        .expect("dashboard");
    assert_eq!(
        dashboard.status(),
        StatusCode::OK,
        "the old cookie still opens the session"
    );
}
