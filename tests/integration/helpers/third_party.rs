//! A third-party website: one HTML page served from another site (`localhost` while Obole is
//! on `127.0.0.1`), as a creator's blog would embed the button.

use std::net::TcpListener;

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpResponse, HttpServer, web};

pub struct ThirdPartySite {
    pub url: String,
    handle: ServerHandle,
}

impl ThirdPartySite {
    pub fn serve(html: String) -> ThirdPartySite {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let url = format!(
            "http://localhost:{}/",
            listener.local_addr().expect("address").port()
        );
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let html = web::Data::new(html);
                let server = HttpServer::new(move || {
                    App::new().app_data(html.clone()).route(
                        "/",
                        web::get().to(|html: web::Data<String>| async move {
                            HttpResponse::Ok()
                                .content_type("text/html; charset=utf-8")
                                .body(html.get_ref().clone())
                        }),
                    )
                })
                .workers(1)
                .listen(listener)
                .expect("listen")
                .run();
                sender.send(server.handle()).expect("handle");
                let _ = server.await;
            });
        });
        ThirdPartySite {
            url,
            handle: receiver.recv().expect("server handle"),
        }
    }
}

impl Drop for ThirdPartySite {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        let _ =
            std::thread::spawn(move || actix_web::rt::System::new().block_on(handle.stop(false)))
                .join();
    }
}
