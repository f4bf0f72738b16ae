//! A split of the data set (training, validation or test): images and
//! their labels, kept as the bytes the files hold.
//!
//! Pixels stay `u8` in memory (one byte each, 47 MB for the 60 000 training
//! images). A network wants `f32` in \[0, 1\]; [`Split::scaled`] converts a
//! whole split once, and [`Split::gather_scaled`] converts just the rows of
//! one shuffled mini-batch into a buffer that the training loop reuses, so
//! that a second, four-times-larger copy of the data set never exists.

use std::ops::Range;
use std::path::Path;

use ndarray::{Array1, Array2, Array3, ArrayView2, Axis, Slice};

use crate::classes::NUM_CLASSES;
use crate::error::DataError;
use crate::idx::{read_idx_images, read_idx_labels};

/// The height of a Fashion-MNIST image in pixels.
pub const IMAGE_ROWS: usize = 28;
/// The width of a Fashion-MNIST image in pixels.
pub const IMAGE_COLS: usize = 28;
/// The number of pixels in one image, the length of a flattened sample.
pub const IMAGE_PIXELS: usize = IMAGE_ROWS * IMAGE_COLS;

/// Images and labels of one split of the data set.
///
/// Every constructor in this crate guarantees that `images` is in standard
/// (row-major) layout, that it has one image per label, and that every label
/// is below [`NUM_CLASSES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// `n × rows × cols` raw pixel values, 0 (background) to 255, as loaded.
    pub images: Array3<u8>,
    /// `n` class labels, 0 to 9.
    pub labels: Array1<u8>,
}

// ANCHOR: scale
/// Scales one pixel from 0‥255 to \[0, 1\]: `v / 255`.
#[inline]
pub fn scale_pixel(v: u8) -> f32 {
    f32::from(v) / 255.0
}
// ANCHOR_END: scale

impl Split {
    /// Pairs images with labels, checking that the counts agree and that
    /// every label is a class. The images are stored in standard layout.
    pub fn new(images: Array3<u8>, labels: Array1<u8>) -> Result<Split, DataError> {
        if images.len_of(Axis(0)) != labels.len() {
            return Err(DataError::ShapeMismatch {
                what: "images and labels of a split".to_string(),
                expected: vec![labels.len(), images.shape()[1], images.shape()[2]],
                found: images.shape().to_vec(),
            });
        }
        if let Some((index, &value)) = labels
            .iter()
            .enumerate()
            .find(|&(_, &v)| usize::from(v) >= NUM_CLASSES)
        {
            return Err(DataError::InvalidLabel { index, value });
        }
        let images = if images.is_standard_layout() {
            images
        } else {
            images.as_standard_layout().into_owned()
        };
        Ok(Split { images, labels })
    }

    // ANCHOR: from_files
    /// Reads a split from an IDX image file and an IDX label file (gzipped or
    /// not), checking that the images are 28 × 28 and that both files hold
    /// the same number of samples.
    pub fn from_files(images: &Path, labels: &Path) -> Result<Split, DataError> {
        let pixels = read_idx_images(images)?;
        let (n, rows, cols) = pixels.dim();
        if (rows, cols) != (IMAGE_ROWS, IMAGE_COLS) {
            return Err(DataError::WrongImageSize {
                file: images.to_path_buf(),
                expected: [IMAGE_ROWS, IMAGE_COLS],
                found: [rows, cols],
            });
        }
        let classes = read_idx_labels(labels)?;
        if classes.len() != n {
            return Err(DataError::CountMismatch {
                images: images.to_path_buf(),
                n_images: n,
                labels: labels.to_path_buf(),
                n_labels: classes.len(),
            });
        }
        Ok(Split {
            images: pixels,
            labels: classes,
        })
    }
    // ANCHOR_END: from_files

    /// The number of samples.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether the split holds no samples.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The number of pixels in one image (784 for Fashion-MNIST).
    pub fn pixels_per_image(&self) -> usize {
        self.images.shape()[1] * self.images.shape()[2]
    }

    /// The images as an `n × pixels` matrix, one flattened image per row,
    /// without copying; an error if `images` was replaced by an array whose
    /// pixels cannot be viewed that way (for example a transposed one).
    pub fn try_flat(&self) -> Result<ArrayView2<'_, u8>, DataError> {
        let shape = (self.images.shape()[0], self.pixels_per_image());
        self.images
            .view()
            .into_shape_with_order(shape)
            .map_err(|_| DataError::ShapeMismatch {
                what: "flattening images that are not stored row by row".to_string(),
                expected: vec![shape.0, shape.1],
                found: self.images.shape().to_vec(),
            })
    }

    // ANCHOR: flat
    /// The images as an `n × 784` matrix, one flattened image per row. This is
    /// a view of the same bytes: nothing is copied.
    ///
    /// # Panics
    ///
    /// Only if a caller replaced the public `images` field by an array whose
    /// last two axes are not stored row by row (a transposed array, say);
    /// every `Split` this crate builds can be flattened. Use
    /// [`try_flat`](Split::try_flat) to get an error instead.
    pub fn flat(&self) -> ArrayView2<'_, u8> {
        match self.try_flat() {
            Ok(view) => view,
            Err(e) => panic!("{e}"),
        }
    }
    // ANCHOR_END: flat

    // ANCHOR: scaled
    /// All images as an `n × 784` matrix of `f32` in \[0, 1\]. This allocates
    /// four bytes per pixel (188 MB for the training set), so call it once
    /// and keep the result, or use [`gather_scaled`](Split::gather_scaled).
    pub fn scaled(&self) -> Array2<f32> {
        let shape = (self.len(), self.pixels_per_image());
        let values: Vec<f32> = match self.images.as_slice() {
            Some(pixels) => pixels.iter().map(|&v| scale_pixel(v)).collect(),
            None => self.images.iter().map(|&v| scale_pixel(v)).collect(),
        };
        // `values` holds exactly rows × pixels elements, so this cannot fail.
        Array2::from_shape_vec(shape, values).unwrap_or_else(|_| Array2::zeros((0, shape.1)))
    }
    // ANCHOR_END: scaled

    // ANCHOR: gather_scaled
    /// Writes the images `indices` (in that order), scaled to \[0, 1\], into
    /// the rows of `out`, which must have shape `indices.len() × 784`.
    ///
    /// This is how a training loop builds a shuffled mini-batch: one buffer
    /// is allocated once and refilled for every batch.
    pub fn gather_scaled(&self, indices: &[usize], out: &mut Array2<f32>) -> Result<(), DataError> {
        let pixels = self.pixels_per_image();
        if out.dim() != (indices.len(), pixels) {
            return Err(DataError::ShapeMismatch {
                what: "gather_scaled output buffer".to_string(),
                expected: vec![indices.len(), pixels],
                found: out.shape().to_vec(),
            });
        }
        if let Some(&index) = indices.iter().find(|&&i| i >= self.len()) {
            let len = self.len();
            return Err(DataError::IndexOutOfRange { index, len });
        }
        let flat = self.try_flat()?;
        for (mut row, &i) in out.rows_mut().into_iter().zip(indices) {
            let source = flat.row(i);
            match (row.as_slice_mut(), source.as_slice()) {
                (Some(dst), Some(src)) => {
                    for (d, &v) in dst.iter_mut().zip(src) {
                        *d = scale_pixel(v);
                    }
                }
                _ => row.zip_mut_with(&source, |d, &v| *d = scale_pixel(v)),
            }
        }
        Ok(())
    }
    // ANCHOR_END: gather_scaled

    /// How many samples each class has. Labels that are not classes (possible
    /// only if a caller edited `labels`) are not counted.
    pub fn class_counts(&self) -> [usize; NUM_CLASSES] {
        let mut counts = [0; NUM_CLASSES];
        for &label in &self.labels {
            if let Some(c) = counts.get_mut(usize::from(label)) {
                *c += 1;
            }
        }
        counts
    }

    // ANCHOR: class_means
    /// The mean image of each class, scaled to \[0, 1\]: an array of shape
    /// `10 × rows × cols`. A class without samples gets an all-zero image.
    pub fn class_means(&self) -> Array3<f32> {
        let (_, rows, cols) = self.images.dim();
        let mut sums = Array2::<u64>::zeros((NUM_CLASSES, rows * cols));
        let counts = self.class_counts();
        if let Ok(flat) = self.try_flat() {
            for (image, &label) in flat.outer_iter().zip(&self.labels) {
                if usize::from(label) < NUM_CLASSES {
                    let mut sum = sums.row_mut(usize::from(label));
                    sum.zip_mut_with(&image, |s, &v| *s += u64::from(v));
                }
            }
        }
        let mut means = Array3::<f32>::zeros((NUM_CLASSES, rows, cols));
        for (k, (mut mean, sum)) in means.outer_iter_mut().zip(sums.outer_iter()).enumerate() {
            if counts[k] > 0 {
                let denominator = 255.0 * counts[k] as f64;
                for (m, &s) in mean.iter_mut().zip(sum) {
                    *m = (s as f64 / denominator) as f32;
                }
            }
        }
        means
    }
    // ANCHOR_END: class_means

    /// A copy of the samples in `range` (for example `0..5000`).
    pub fn select(&self, range: Range<usize>) -> Result<Split, DataError> {
        let len = self.len();
        if range.start > range.end || range.end > len {
            return Err(DataError::IndexOutOfRange {
                index: range.end.max(range.start),
                len,
            });
        }
        Ok(self.rows(range))
    }

    /// A copy of the samples in `range`, which the caller has checked.
    pub(crate) fn rows(&self, range: Range<usize>) -> Split {
        Split {
            images: self
                .images
                .slice_axis(Axis(0), Slice::from(range.clone()))
                .to_owned(),
            labels: self
                .labels
                .slice_axis(Axis(0), Slice::from(range))
                .to_owned(),
        }
    }

    // ANCHOR: split_off_front
    /// Removes the first `n` samples from this split and returns them as a
    /// new split. The rest stays where it is: only the `n` removed samples
    /// are copied, so peak memory grows by their size alone.
    pub fn split_off_front(&mut self, n: usize) -> Result<Split, DataError> {
        let len = self.len();
        if n > len {
            return Err(DataError::IndexOutOfRange { index: n, len });
        }
        let (_, rows, cols) = self.images.dim();
        let mut pixels = into_row_major_vec(std::mem::take(&mut self.images));
        let mut labels = self.labels.to_vec();
        let front_pixels: Vec<u8> = pixels.drain(..n * rows * cols).collect();
        let front_labels: Vec<u8> = labels.drain(..n).collect();
        let rebuild = |pixels: Vec<u8>, labels: Vec<u8>| -> Result<Split, DataError> {
            let count = labels.len();
            let found = vec![pixels.len()];
            Ok(Split {
                images: Array3::from_shape_vec((count, rows, cols), pixels).map_err(|_| {
                    DataError::ShapeMismatch {
                        what: "splitting off samples".to_string(),
                        expected: vec![count * rows * cols],
                        found,
                    }
                })?,
                labels: Array1::from(labels),
            })
        };
        *self = rebuild(pixels, labels)?;
        rebuild(front_pixels, front_labels)
    }
    // ANCHOR_END: split_off_front
}

/// The elements of `a` in row-major order, reusing its allocation when it
/// is already stored that way.
fn into_row_major_vec(a: Array3<u8>) -> Vec<u8> {
    if !a.is_standard_layout() {
        return a.iter().copied().collect();
    }
    let len = a.len();
    let (mut v, offset) = a.into_raw_vec_and_offset();
    let offset = offset.unwrap_or(0);
    v.drain(..offset.min(v.len()));
    v.truncate(len);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array, array};

    /// Three 2×2 "images" whose pixels tell which sample they are.
    fn tiny() -> Split {
        let images = Array::from_shape_vec(
            (3, 2, 2),
            vec![0, 51, 102, 255, 10, 10, 10, 10, 200, 0, 0, 100],
        )
        .unwrap();
        Split::new(images, array![3, 9, 3]).unwrap()
    }

    #[test]
    fn flat_is_a_view_of_the_same_bytes() {
        let split = tiny();
        let flat = split.flat();
        assert_eq!(flat.shape(), &[3, 4]);
        assert_eq!(flat.row(2).to_vec(), vec![200, 0, 0, 100]);
        assert_eq!(flat.as_ptr(), split.images.as_ptr(), "no copy");
    }

    #[test]
    fn scaled_divides_by_255() {
        let x = tiny().scaled();
        assert_eq!(x.shape(), &[3, 4]);
        assert_eq!(x[[0, 0]], 0.0);
        assert_eq!(x[[0, 1]], 0.2);
        assert_eq!(x[[0, 3]], 1.0);
        assert!(x.iter().all(|&v| (0.0..=1.0).contains(&v)));
    }

    #[test]
    fn gather_scaled_matches_rows_of_scaled_in_the_asked_order() {
        let split = tiny();
        let all = split.scaled();
        let mut out = Array2::from_elem((4, 4), -1.0f32);
        split.gather_scaled(&[2, 0, 2, 1], &mut out).unwrap();
        for (r, &i) in [2, 0, 2, 1].iter().enumerate() {
            assert_eq!(out.row(r), all.row(i));
        }
    }

    #[test]
    fn gather_scaled_rejects_a_wrong_buffer_or_index_without_writing() {
        let split = tiny();
        let mut out = Array2::from_elem((2, 3), -1.0f32);
        let e = split.gather_scaled(&[0, 1], &mut out).unwrap_err();
        assert!(e.to_string().contains("[2, 4]"), "{e}");
        let mut out = Array2::from_elem((2, 4), -1.0f32);
        let e = split.gather_scaled(&[0, 3], &mut out).unwrap_err();
        assert!(matches!(e, DataError::IndexOutOfRange { index: 3, len: 3 }));
        assert!(out.iter().all(|&v| v == -1.0));
    }

    #[test]
    fn gather_scaled_works_into_a_column_major_buffer() {
        let split = tiny();
        let mut out = Array2::<f32>::zeros((4, 2)).reversed_axes();
        split.gather_scaled(&[1, 0], &mut out).unwrap();
        assert_eq!(out.row(1), split.scaled().row(0));
    }

    #[test]
    fn new_checks_counts_and_labels() {
        let images = Array3::<u8>::zeros((2, 2, 2));
        assert!(matches!(
            Split::new(images.clone(), array![1]),
            Err(DataError::ShapeMismatch { .. })
        ));
        assert!(matches!(
            Split::new(images, array![1, 10]),
            Err(DataError::InvalidLabel {
                index: 1,
                value: 10
            })
        ));
    }

    #[test]
    fn a_transposed_image_array_is_an_error_for_try_flat_and_fixed_by_new() {
        let mut split = tiny();
        split.images = split.images.clone().reversed_axes().reversed_axes();
        assert!(split.try_flat().is_ok());
        let transposed = Array3::<u8>::zeros((2, 3, 3)).permuted_axes([0, 2, 1]);
        let odd = Split {
            images: transposed.clone(),
            labels: array![0, 1],
        };
        assert!(odd.try_flat().is_err());
        let mut out = Array2::zeros((1, 9));
        assert!(odd.gather_scaled(&[0], &mut out).is_err());
        let fixed = Split::new(transposed, array![0, 1]).unwrap();
        assert_eq!(fixed.flat().shape(), &[2, 9]);
    }

    #[test]
    fn class_counts_and_means() {
        let split = tiny();
        let counts = split.class_counts();
        assert_eq!(counts[3], 2);
        assert_eq!(counts[9], 1);
        assert_eq!(counts.iter().sum::<usize>(), 3);
        let means = split.class_means();
        assert_eq!(means.shape(), &[10, 2, 2]);
        // Class 3 holds samples 0 and 2: (0 + 200) / 2 / 255.
        assert!((means[[3, 0, 0]] - 100.0 / 255.0).abs() < 1e-6);
        assert!((means[[9, 1, 1]] - 10.0 / 255.0).abs() < 1e-6);
        assert!(means.index_axis(Axis(0), 0).iter().all(|&v| v == 0.0));
    }

    #[test]
    fn select_copies_a_range_and_rejects_one_past_the_end() {
        let split = tiny();
        let tail = split.select(1..3).unwrap();
        assert_eq!(tail.labels, array![9, 3]);
        assert_eq!(
            tail.images.index_axis(Axis(0), 1),
            split.images.index_axis(Axis(0), 2)
        );
        assert!(split.select(2..4).is_err());
        #[allow(clippy::reversed_empty_ranges)]
        let backwards = split.select(2..1);
        assert!(backwards.is_err());
    }

    #[test]
    fn split_off_front_moves_the_first_samples() {
        let mut split = tiny();
        let original = split.clone();
        let front = split.split_off_front(1).unwrap();
        assert_eq!(front, original.select(0..1).unwrap());
        assert_eq!(split, original.select(1..3).unwrap());
        assert!(split.split_off_front(3).is_err());
        assert_eq!(split.len(), 2, "a failed split leaves the data alone");
        let all = split.split_off_front(2).unwrap();
        assert!(split.is_empty());
        assert_eq!(all.len(), 2);
    }
}
