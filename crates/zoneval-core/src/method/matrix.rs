//! A dense column-major matrix of `f64`: rows are zones, columns are indicators.
//!
//! Column-major because every normalisation and weighting reads whole indicator columns, and
//! aggregations sweep column by column into per-zone accumulators — both stay contiguous.

/// Zones × indicators, column-major.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
}

impl Matrix {
    /// A `rows × cols` matrix of zeros.
    pub fn zeros(rows: usize, cols: usize) -> Matrix {
        Matrix {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }

    /// Builds from columns of equal length.
    ///
    /// # Panics
    /// When the columns differ in length (a programming error, not an input error).
    pub fn from_columns(columns: &[Vec<f64>]) -> Matrix {
        let rows = columns.first().map_or(0, Vec::len);
        assert!(
            columns.iter().all(|c| c.len() == rows),
            "columns of unequal length"
        );
        let data = columns.iter().flatten().copied().collect();
        Matrix {
            rows,
            cols: columns.len(),
            data,
        }
    }

    /// Builds from rows of equal length (convenient in tests and worked examples).
    ///
    /// # Panics
    /// When the rows differ in length.
    pub fn from_rows(rows: &[Vec<f64>]) -> Matrix {
        let n = rows.len();
        let cols = rows.first().map_or(0, Vec::len);
        assert!(
            rows.iter().all(|r| r.len() == cols),
            "rows of unequal length"
        );
        let mut m = Matrix::zeros(n, cols);
        for (i, r) in rows.iter().enumerate() {
            for (j, &v) in r.iter().enumerate() {
                m.set(i, j, v);
            }
        }
        m
    }

    /// Number of rows (zones).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns (indicators).
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The value at row `i`, column `j`.
    #[inline]
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.data[j * self.rows + i]
    }

    /// Sets the value at row `i`, column `j`.
    #[inline]
    pub fn set(&mut self, i: usize, j: usize, v: f64) {
        self.data[j * self.rows + i] = v;
    }

    /// Column `j`.
    #[inline]
    pub fn col(&self, j: usize) -> &[f64] {
        &self.data[j * self.rows..(j + 1) * self.rows]
    }

    /// Column `j`, mutable.
    #[inline]
    pub fn col_mut(&mut self, j: usize) -> &mut [f64] {
        &mut self.data[j * self.rows..(j + 1) * self.rows]
    }

    /// All columns, in order.
    pub fn columns(&self) -> impl ExactSizeIterator<Item = &[f64]> {
        // `chunks_exact(0)` panics, so an empty matrix yields no columns explicitly.
        let size = self.rows.max(1);
        self.data
            .chunks_exact(size)
            .take(if self.rows == 0 { 0 } else { self.cols })
    }

    /// All columns, mutable (for filling in parallel).
    pub fn columns_mut(&mut self) -> std::slice::ChunksExactMut<'_, f64> {
        self.data.chunks_exact_mut(self.rows.max(1))
    }

    /// Row `i`, copied.
    pub fn row(&self, i: usize) -> Vec<f64> {
        (0..self.cols).map(|j| self.get(i, j)).collect()
    }

    /// The whole data, column after column.
    pub fn as_slice(&self) -> &[f64] {
        &self.data
    }

    /// The columns `idx`, in that order.
    pub fn select_columns(&self, idx: &[usize]) -> Matrix {
        let mut data = Vec::with_capacity(idx.len() * self.rows);
        for &j in idx {
            data.extend_from_slice(self.col(j));
        }
        Matrix {
            rows: self.rows,
            cols: idx.len(),
            data,
        }
    }

    /// The rows `idx`, in that order.
    pub fn select_rows(&self, idx: &[usize]) -> Matrix {
        let mut data = Vec::with_capacity(idx.len() * self.cols);
        for j in 0..self.cols {
            let c = self.col(j);
            data.extend(idx.iter().map(|&i| c[i]));
        }
        Matrix {
            rows: idx.len(),
            cols: self.cols,
            data,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_column_major() {
        let m = Matrix::from_rows(&[vec![1.0, 2.0], vec![3.0, 4.0], vec![5.0, 6.0]]);
        assert_eq!(m.col(0), &[1.0, 3.0, 5.0]);
        assert_eq!(m.col(1), &[2.0, 4.0, 6.0]);
        assert_eq!(m.row(1), vec![3.0, 4.0]);
        assert_eq!(m.columns().count(), 2);
        assert_eq!(m.select_rows(&[2, 0]).col(1), &[6.0, 2.0]);
        assert_eq!(m.select_columns(&[1]).col(0), &[2.0, 4.0, 6.0]);
        assert_eq!(Matrix::zeros(0, 3).columns().count(), 0);
    }
}
