//! The generated session key is kept in the data folder, so sessions survive a restart.

use reqwest::StatusCode;

use crate::helpers::html::csrf_token;
use crate::helpers::spawn_app;

#[tokio::test]
async fn a_session_survives_a_restart_with_the_generated_key() {
    let app = spawn_app().await;
    let user = app.a_user().create().await;
    let visitor = app.visitor();
    let form = visitor
        .get(app.url("/login"))
        .send()
        .await
        .expect("login")
        .text()
        .await
        .expect("html");
    let logged_in = visitor
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", csrf_token(&form).as_str()),
            ("email", &user.email),
            ("password", &user.password),
        ])
        .send()
        .await
        .expect("log in");
    let cookie = logged_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("obole_session="))
        .and_then(|c| c.split(';').next())
        .expect("session cookie")
        .to_owned();
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
