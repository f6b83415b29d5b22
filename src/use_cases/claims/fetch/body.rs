//! Reading a response body without letting it grow past a limit.

/// The body's first `max_bytes` bytes, and whether there was more. Read chunk by chunk, so
/// that a huge or endless body costs at most `max_bytes` plus one chunk of memory.
pub(super) async fn read_limited(
    response: &mut reqwest::Response,
    max_bytes: usize,
) -> Result<(Vec<u8>, bool), reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = max_bytes.saturating_sub(body.len());
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body, true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, false))
}
