//! `tweetguard serve` as a real process (the built binary): started on a free loopback port
//! against the fake Discord, probed over HTTP, stopped with SIGTERM.

use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::signing::{now, public_key_hex, sign};

pub const TOKEN: &str = "test.TOKEN.process";

/// A running `tweetguard serve`.
pub struct Served {
    pub child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    pub client: reqwest::Client,
    /// Everything the process logged (standard error) so far.
    pub log: std::sync::Arc<std::sync::Mutex<String>>,
    _dir: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        // A test that failed half-way must not leave the process behind.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port free now on 127.0.0.1.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Served {
    /// `tweetguard serve --transport <transport>` on a port the system picks
    /// (`HTTP_ADDR=127.0.0.1:0`, the address read from its start-up log), with `envs`; waits
    /// until `/healthz` answers.
    pub async fn start(
        transport: &str,
        api_url: &str,
        db_url: &str,
        envs: &[(&str, &str)],
    ) -> Served {
        Served::start_limited(transport, api_url, db_url, envs, None).await
    }

    /// [`Served::start`], with the process's open-file limit set to `nofile` when given
    /// (`ulimit -n` in a shell that then becomes the bot: the same process id).
    pub async fn start_limited(
        transport: &str,
        api_url: &str,
        db_url: &str,
        envs: &[(&str, &str)],
        nofile: Option<u32>,
    ) -> Served {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let bin = env!("CARGO_BIN_EXE_tweetguard");
        let mut cmd = match nofile {
            Some(n) => {
                let mut c = Command::new("sh");
                c.args(["-c", &format!("ulimit -n {n} && exec \"$0\" \"$@\""), bin]);
                c
            }
            None => Command::new(bin),
        };
        cmd.args(["serve", "--transport", transport])
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("DISCORD_TOKEN", TOKEN)
            .env("DISCORD_API_URL", api_url)
            .env("DISCORD_PUBLIC_KEY", public_key_hex())
            .env("DATABASE_URL", db_url)
            .env("HTTP_ADDR", "127.0.0.1:0")
            .env("RUST_LOG", "warn,tweetguard::cli::serve=info")
            .env("NO_COLOR", "1")
            .envs(envs.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("the tweetguard binary starts");
        let stderr = child.stderr.take().expect("piped stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let kept = log.clone();
        // Forward the log (the test's output shows it on failure), keep it, and pick up the
        // address.
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if let Some(addr) = line
                    .split_whitespace()
                    .find_map(|w| w.strip_prefix("addr="))
                {
                    let _ = tx.send(addr.trim_matches('"').to_string());
                }
                eprintln!("[tweetguard] {line}");
                let mut all = kept.lock().unwrap_or_else(|e| e.into_inner());
                all.push_str(&line);
                all.push('\n');
            }
        });
        let addr = tokio::task::spawn_blocking(move || rx.recv_timeout(Duration::from_secs(60)))
            .await
            .expect("the log reader")
            .unwrap_or_else(|_| {
                let _ = child.kill();
                panic!("tweetguard serve did not log its address");
            });
        let served = Served {
            child,
            base: format!("http://{addr}"),
            client: reqwest::Client::builder()
                .no_proxy()
                .timeout(Duration::from_secs(30))
                .build()
                .expect("an HTTP client"),
            log,
            _dir: dir,
        };
        served
            .wait_for("/healthz", 200, Duration::from_secs(30))
            .await;
        served
    }

    /// Poll `path` until it answers `status`, or panic after `timeout`.
    pub async fn wait_for(&self, path: &str, status: u16, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(r) = self.client.get(format!("{}{path}", self.base)).send().await {
                if r.status().as_u16() == status {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "{path} did not answer {status} within {timeout:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("a GET");
        (r.status().as_u16(), r.text().await.unwrap_or_default())
    }

    /// POST `payload` to `/interactions`, signed now.
    pub async fn interact(&self, payload: &Value) -> (u16, Value) {
        post_signed(&self.client, &self.base, payload).await
    }

    /// Send SIGTERM, as systemd, Docker or Kubernetes do.
    pub fn sigterm(&self) {
        let ok = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "kill -TERM");
    }

    /// Wait for the process to exit, up to `timeout`.
    pub async fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Some(s)) = self.child.try_wait() {
                return Some(s);
            }
            if Instant::now() >= deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// POST `payload` to `{base}/interactions`, signed now; the status and the JSON answer.
pub async fn post_signed(client: &reqwest::Client, base: &str, payload: &Value) -> (u16, Value) {
    let body = payload.to_string();
    let (sig, ts) = sign(body.as_bytes(), now());
    let r = client
        .post(format!("{base}/interactions"))
        .header("content-type", "application/json")
        .header("x-signature-ed25519", sig)
        .header("x-signature-timestamp", ts)
        .body(body)
        .send()
        .await
        .expect("a POST to /interactions");
    let status = r.status().as_u16();
    let v = r.json::<Value>().await.unwrap_or(Value::Null);
    (status, v)
}
