//! Images of proposals: their bytes and facts, in the `media` tables (migration 0007).
//!
//! A child of `sql` (for its transaction macro and helpers). Bytes arrive before the proposal
//! does: the Discord adapter downloads an attachment at once (its URL expires) and stages it in
//! `media_uploads`, keyed by SHA-256, while the author is still typing alt texts. When a
//! revision is written, each of its images is copied into `media` from the staged bytes (or
//! from an earlier revision holding the same bytes, for an edit that keeps an image), in the
//! same transaction as the revision: a revision never exists without its images.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

use super::{db, get, micros_now, to_micros, u32_of, SqlStore};
use crate::store::StoreError;
use crate::workflow::media::{Image, ImageFile};
use crate::workflow::{ProposalId, Revision};

/// Staged bytes older than this were never used by a proposal (the form was abandoned).
const UPLOAD_RETENTION_MICROS: i64 = 24 * 60 * 60 * 1_000_000;

const MEDIA_COLUMNS: &str = "revision, position, sha256, mime, size, width, height, alt";

fn i64_of(v: u64, what: &str) -> Result<i64, StoreError> {
    i64::try_from(v).map_err(|_| StoreError::Corrupt(format!("{what} out of range: {v}")))
}

/// Writes the images of a newly written revision, in order.
pub(super) async fn insert_revision(
    conn: &mut AnyConnection,
    proposal: ProposalId,
    rev: &Revision,
) -> Result<(), StoreError> {
    const INSERT: &str = "INSERT INTO media (proposal_id, revision, position, sha256, mime, \
                          size, width, height, alt, bytes) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, bytes";
    let staged_sql = format!("{INSERT} FROM media_uploads WHERE sha256 = $4");
    // An edit keeping an image: the bytes are already held by an earlier revision.
    let kept_sql = format!(
        "{INSERT} FROM media WHERE sha256 = $4 ORDER BY proposal_id, revision, position LIMIT 1"
    );
    for (position, image) in rev.images.iter().enumerate() {
        let mut copied = false;
        for sql in [&staged_sql, &kept_sql] {
            let done = sqlx::query(sql)
                .bind(proposal.0)
                .bind(i64::from(rev.number))
                .bind(i64_of(position as u64, "position")?)
                .bind(image.sha256.clone())
                .bind(image.mime.clone())
                .bind(i64_of(image.bytes_len, "image size")?)
                .bind(i64::from(image.width))
                .bind(i64::from(image.height))
                .bind(image.alt.clone())
                .execute(&mut *conn)
                .await
                .map_err(db)?;
            if done.rows_affected() == 1 {
                copied = true;
                break;
            }
        }
        if !copied {
            return Err(StoreError::Corrupt(format!(
                "image {} of proposal {proposal} has no stored bytes",
                image.sha256
            )));
        }
    }
    Ok(())
}

fn image_of(r: &sqlx::any::AnyRow) -> Result<(u32, Image), StoreError> {
    let size: i64 = get(r, "size")?;
    Ok((
        u32_of(get(r, "revision")?, "media revision")?,
        Image {
            sha256: get(r, "sha256")?,
            mime: get(r, "mime")?,
            bytes_len: u64::try_from(size)
                .map_err(|_| StoreError::Corrupt(format!("media size {size}")))?,
            width: u32_of(get(r, "width")?, "media width")?,
            height: u32_of(get(r, "height")?, "media height")?,
            alt: get(r, "alt")?,
        },
    ))
}

/// Puts each revision's images (facts only) back on the revisions of a loaded proposal.
pub(super) async fn attach(
    conn: &mut AnyConnection,
    proposal: ProposalId,
    revisions: &mut [Revision],
) -> Result<(), StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {MEDIA_COLUMNS} FROM media WHERE proposal_id = $1 ORDER BY revision, position"
    ))
    .bind(proposal.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let mut by_revision: BTreeMap<u32, Vec<Image>> = BTreeMap::new();
    for r in &rows {
        let (number, image) = image_of(r)?;
        by_revision.entry(number).or_default().push(image);
    }
    for rev in revisions {
        rev.images = by_revision.remove(&rev.number).unwrap_or_default();
    }
    Ok(())
}

impl SqlStore {
    pub(super) async fn stage_image_in(
        &self,
        file: &ImageFile,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let now = to_micros(micros_now(now));
        let size = i64_of(file.bytes.len() as u64, "image size")?;
        sqlx::query(
            "INSERT INTO media_uploads (sha256, mime, size, bytes, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO UPDATE SET created_at = $5",
        )
        .bind(file.image.sha256.clone())
        .bind(file.image.mime.clone())
        .bind(size)
        .bind(file.bytes.clone())
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        sqlx::query("DELETE FROM media_uploads WHERE created_at < $1")
            .bind(now - UPLOAD_RETENTION_MICROS)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    pub(super) async fn images_of(
        &self,
        proposal: ProposalId,
        revision: u32,
    ) -> Result<Vec<ImageFile>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {MEDIA_COLUMNS}, bytes FROM media WHERE proposal_id = $1 AND revision = $2 \
             ORDER BY position"
        ))
        .bind(proposal.0)
        .bind(i64::from(revision))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                let (_, image) = image_of(r)?;
                let bytes: Vec<u8> = get(r, "bytes")?;
                if bytes.len() as u64 != image.bytes_len {
                    return Err(StoreError::Corrupt(format!(
                        "image {} of proposal {proposal}: size differs",
                        image.sha256
                    )));
                }
                Ok(ImageFile { image, bytes })
            })
            .collect()
    }
}
