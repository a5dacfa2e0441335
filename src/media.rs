//! Image files: checking what a member proposes, and fitting an image under a network's size
//! limit.
//!
//! Pure functions over bytes (no I/O), so the Discord adapter, the CLI and the publishers share
//! one definition of "an acceptable image". The type is what the decoder recognises from the
//! bytes, never the file name, and the whole image is decoded, so a truncated or disguised file
//! is refused before anyone reviews it.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader};

use crate::review::media::{ImageFacts, BLUESKY_IMAGE_BYTES};
use crate::review::Language;
use crate::workflow::media::{sha256_hex, Image, ImageFile};

/// Larger files are refused outright: no network takes them, and they would sit in the
/// database for nothing.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// Decoding stops at this many pixels per side (a "decompression bomb" is refused, not
/// expanded).
const MAX_SIDE: u32 = 16_384;

/// Why an image was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    #[error("the file is larger than 20 MB ({size} bytes)")]
    TooLarge { size: usize },
    #[error("the file is empty")]
    Empty,
    #[error("this is not a PNG, JPEG, GIF or WebP image")]
    NotAnImage,
    #[error("the image can't be read (damaged or truncated file): {0}")]
    Undecodable(String),
    #[error("the image can't be made smaller than {limit} bytes")]
    CannotFit { limit: usize },
}

impl MediaError {
    /// The refusal in `lang`.
    pub fn message(&self, lang: Language) -> String {
        match (self, lang) {
            (_, Language::En) => self.to_string(),
            (MediaError::TooLarge { size }, Language::Fr) => {
                format!("le fichier dépasse 20 Mo ({size} octets)")
            }
            (MediaError::Empty, Language::Fr) => "le fichier est vide".into(),
            (MediaError::NotAnImage, Language::Fr) => {
                "ce n'est pas une image PNG, JPEG, GIF ou WebP".into()
            }
            (MediaError::Undecodable(why), Language::Fr) => {
                format!("l'image est illisible (fichier abîmé ou tronqué) : {why}")
            }
            (MediaError::CannotFit { limit }, Language::Fr) => {
                format!("l'image ne peut pas descendre sous {limit} octets")
            }
        }
    }
}

fn mime_of(format: ImageFormat) -> Option<&'static str> {
    match format {
        ImageFormat::Png => Some("image/png"),
        ImageFormat::Jpeg => Some("image/jpeg"),
        ImageFormat::Gif => Some("image/gif"),
        ImageFormat::WebP => Some("image/webp"),
        _ => None,
    }
}

fn decode(bytes: &[u8]) -> Result<(ImageFormat, DynamicImage), MediaError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| MediaError::Undecodable(e.to_string()))?;
    let format = reader.format().ok_or(MediaError::NotAnImage)?;
    if mime_of(format).is_none() {
        return Err(MediaError::NotAnImage);
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    reader.limits(limits);
    let decoded = reader
        .decode()
        .map_err(|e| MediaError::Undecodable(e.to_string()))?;
    Ok((format, decoded))
}

/// Checks a proposed file and describes it: PNG, JPEG, GIF or WebP by its bytes, decoding as a
/// whole, at most [`MAX_BYTES`]. `alt` is kept as given (trimmed; blank is none).
pub fn inspect(bytes: Vec<u8>, alt: Option<&str>) -> Result<ImageFile, MediaError> {
    if bytes.is_empty() {
        return Err(MediaError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(MediaError::TooLarge { size: bytes.len() });
    }
    let (format, decoded) = decode(&bytes)?;
    let mime = mime_of(format).ok_or(MediaError::NotAnImage)?;
    let image = Image {
        sha256: sha256_hex(&bytes),
        mime: mime.to_owned(),
        bytes_len: bytes.len() as u64,
        width: decoded.width(),
        height: decoded.height(),
        alt: alt
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned),
    };
    Ok(ImageFile { image, bytes })
}

/// The JPEG qualities tried, best first, at each size.
const QUALITIES: [u8; 4] = [85, 75, 60, 45];

/// The image as sent to a network that takes at most `limit` bytes per image: unchanged when it
/// already fits, else re-encoded as JPEG at falling qualities, then downscaled by steps of
/// three quarters, until it fits. A GIF's animation does not survive (only its first frame),
/// which is why an image is only re-encoded when it would not fit otherwise.
///
/// Returns the bytes, their type and their dimensions.
pub fn fit_under(file: &ImageFile, limit: usize) -> Result<ImageFile, MediaError> {
    if file.bytes.len() <= limit {
        return Ok(file.clone());
    }
    let (_, decoded) = decode(&file.bytes)?;
    // JPEG has no alpha: transparent areas become white rather than black.
    let mut current = flatten(&decoded);
    for _ in 0..12 {
        for quality in QUALITIES {
            let bytes = jpeg(&current, quality)?;
            if bytes.len() <= limit {
                return Ok(ImageFile {
                    image: Image {
                        sha256: sha256_hex(&bytes),
                        mime: "image/jpeg".into(),
                        bytes_len: bytes.len() as u64,
                        width: current.width(),
                        height: current.height(),
                        alt: file.image.alt.clone(),
                    },
                    bytes,
                });
            }
        }
        let (w, h) = (current.width() * 3 / 4, current.height() * 3 / 4);
        if w < 16 || h < 16 {
            break;
        }
        current = DynamicImage::ImageRgb8(current.to_rgb8()).resize_exact(
            w,
            h,
            image::imageops::FilterType::Triangle,
        );
    }
    Err(MediaError::CannotFit { limit })
}

/// Whether [`fit_under`] would succeed (without keeping the result).
pub fn fits_after_reencoding(file: &ImageFile, limit: usize) -> bool {
    fit_under(file, limit).is_ok()
}

/// What the review needs to know about an image: its size, its alt text, and (only when it is
/// over Bluesky's limit, since finding out costs a re-encoding) whether it can be made to fit.
pub fn facts(file: &ImageFile) -> ImageFacts {
    let limit = BLUESKY_IMAGE_BYTES as usize;
    ImageFacts {
        bytes_len: file.bytes.len() as u64,
        alt: file.image.alt.clone(),
        fits_bluesky: file.bytes.len() <= limit || fits_after_reencoding(file, limit),
    }
}

/// The facts of a revision's images as stored (the store decoded them once already, so only
/// the size matters here; an image over Bluesky's limit was checked when proposed).
pub fn stored_facts(images: &[Image]) -> Vec<ImageFacts> {
    images
        .iter()
        .map(|i| ImageFacts {
            bytes_len: i.bytes_len,
            alt: i.alt.clone(),
            fits_bluesky: true,
        })
        .collect()
}

fn flatten(img: &DynamicImage) -> DynamicImage {
    let rgba = img.to_rgba8();
    let mut rgb = image::RgbImage::new(rgba.width(), rgba.height());
    for (x, y, p) in rgba.enumerate_pixels() {
        let a = u16::from(p[3]);
        let blend = |c: u8| ((u16::from(c) * a + 255 * (255 - a)) / 255) as u8;
        rgb.put_pixel(x, y, image::Rgb([blend(p[0]), blend(p[1]), blend(p[2])]));
    }
    DynamicImage::ImageRgb8(rgb)
}

fn jpeg(img: &DynamicImage, quality: u8) -> Result<Vec<u8>, MediaError> {
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
    img.to_rgb8()
        .write_with_encoder(encoder)
        .map_err(|e| MediaError::Undecodable(e.to_string()))?;
    Ok(out)
}

/// Test helpers: real image files made in memory, in each accepted format.
#[doc(hidden)]
pub mod samples {
    use super::*;

    /// A `w`×`h` picture with a gradient and noise (so it does not compress to nothing),
    /// encoded as `format`.
    pub fn encoded(format: ImageFormat, w: u32, h: u32, seed: u32) -> Vec<u8> {
        let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let n = (state & 0x3f) as u8;
            image::Rgb([
                ((x * 255 / w.max(1)) as u8).wrapping_add(n),
                ((y * 255 / h.max(1)) as u8).wrapping_add(n / 2),
                n.wrapping_mul(3),
            ])
        });
        let mut out = Cursor::new(Vec::new());
        match format {
            ImageFormat::Gif => {
                // GIF is paletted: encode a reduced image.
                DynamicImage::ImageRgb8(img)
                    .to_rgba8()
                    .write_to(&mut out, ImageFormat::Gif)
                    .expect("gif encodes");
            }
            ImageFormat::WebP => {
                DynamicImage::ImageRgb8(img)
                    .to_rgba8()
                    .write_to(&mut out, ImageFormat::WebP)
                    .expect("webp encodes");
            }
            other => img.write_to(&mut out, other).expect("encodes"),
        }
        out.into_inner()
    }

    /// A small PNG.
    pub fn png(w: u32, h: u32) -> Vec<u8> {
        encoded(ImageFormat::Png, w, h, 1)
    }
}

#[cfg(test)]
mod tests {
    use super::samples::encoded;
    use super::*;

    #[test]
    fn each_accepted_format_is_recognised_by_its_bytes_with_its_dimensions() {
        for (format, mime) in [
            (ImageFormat::Png, "image/png"),
            (ImageFormat::Jpeg, "image/jpeg"),
            (ImageFormat::Gif, "image/gif"),
            (ImageFormat::WebP, "image/webp"),
        ] {
            let bytes = encoded(format, 40, 30, 7);
            let len = bytes.len() as u64;
            let file = inspect(bytes, Some("  A red door  ")).expect("accepted");
            assert_eq!(file.image.mime, mime);
            assert_eq!((file.image.width, file.image.height), (40, 30));
            assert_eq!(file.image.bytes_len, len);
            assert_eq!(file.image.alt.as_deref(), Some("A red door"));
            assert_eq!(file.image.sha256, sha256_hex(&file.bytes));
        }
    }

    #[test]
    fn other_files_damaged_files_and_huge_files_are_refused_with_the_reason() {
        assert_eq!(inspect(Vec::new(), None), Err(MediaError::Empty));
        assert_eq!(
            inspect(b"%PDF-1.7 not a picture at all".to_vec(), None),
            Err(MediaError::NotAnImage)
        );
        // BMP decodes elsewhere, but it is not an accepted type (and its decoder isn't built).
        assert!(inspect(b"BM\x00\x00\x00\x00".to_vec(), None).is_err());
        let mut png = encoded(ImageFormat::Png, 64, 64, 3);
        png.truncate(png.len() / 2);
        assert!(matches!(
            inspect(png, None),
            Err(MediaError::Undecodable(_))
        ));
        let big = vec![0u8; MAX_BYTES + 1];
        assert_eq!(
            inspect(big, None),
            Err(MediaError::TooLarge {
                size: MAX_BYTES + 1
            })
        );
        let fr = MediaError::NotAnImage.message(Language::Fr);
        assert!(fr.contains("n'est pas une image"), "{fr}");
    }

    #[test]
    fn a_3_mb_image_is_reencoded_under_the_bluesky_limit() {
        // Noise does not compress: a PNG of this size is over 3 MB.
        let bytes = encoded(ImageFormat::Png, 1400, 1000, 11);
        assert!(bytes.len() > 3_000_000, "{} bytes", bytes.len());
        let file = inspect(bytes, Some("Our team at the booth")).expect("accepted");
        let fitted = fit_under(&file, 1_000_000).expect("fits");
        assert!(fitted.bytes.len() <= 1_000_000, "{}", fitted.bytes.len());
        assert_eq!(fitted.image.mime, "image/jpeg");
        assert_eq!(fitted.image.alt.as_deref(), Some("Our team at the booth"));
        let again = inspect(fitted.bytes.clone(), None).expect("still an image");
        assert_eq!(
            (again.image.width, again.image.height),
            (fitted.image.width, fitted.image.height)
        );
        // The aspect ratio survives within a pixel.
        let ratio = f64::from(fitted.image.width) / f64::from(fitted.image.height);
        assert!((ratio - 1.4).abs() < 0.01, "{ratio}");
        // Already small enough: untouched.
        let small = inspect(encoded(ImageFormat::Png, 20, 20, 1), None).expect("ok");
        assert_eq!(fit_under(&small, 1_000_000).expect("fits"), small);
        assert_eq!(
            fit_under(&file, 10),
            Err(MediaError::CannotFit { limit: 10 })
        );
    }
}
