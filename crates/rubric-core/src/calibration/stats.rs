//! Agreement statistics, written out from their textbook definitions so that every figure can be
//! checked by hand: Cohen's kappa (plain and weighted), Krippendorff's alpha (nominal, ordinal,
//! interval), Spearman's rank correlation, and a seeded percentile bootstrap. Each returns `None`
//! where the statistic is undefined (no items, or no variation to agree on), never NaN.

/// Cohen's kappa between two raters over paired category codes (`0..categories`), with a
/// disagreement weight per pair of codes: [`Weights::None`] counts every disagreement alike,
/// [`Weights::Quadratic`] by the squared distance between codes (as scikit-learn's
/// `cohen_kappa_score(weights="quadratic")`). kappa = 1 - sum(w x observed) / sum(w x expected).
pub fn cohen_kappa(pairs: &[(usize, usize)], categories: usize, weights: Weights) -> Option<f64> {
    if pairs.is_empty() || categories == 0 {
        return None;
    }
    let n = pairs.len() as f64;
    let mut observed = vec![vec![0.0; categories]; categories];
    let mut rows = vec![0.0; categories];
    let mut columns = vec![0.0; categories];
    for &(a, b) in pairs {
        if a >= categories || b >= categories {
            return None;
        }
        observed[a][b] += 1.0;
        rows[a] += 1.0;
        columns[b] += 1.0;
    }
    let weight = |i: usize, j: usize| -> f64 {
        match weights {
            Weights::None => f64::from(u8::from(i != j)),
            Weights::Quadratic => (i as f64 - j as f64).powi(2),
        }
    };
    let (mut disagreement, mut chance) = (0.0, 0.0);
    for i in 0..categories {
        for j in 0..categories {
            disagreement += weight(i, j) * observed[i][j];
            chance += weight(i, j) * rows[i] * columns[j] / n;
        }
    }
    (chance > 0.0).then(|| 1.0 - disagreement / chance)
}

/// How [`cohen_kappa`] weighs a disagreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weights {
    None,
    Quadratic,
}

/// The level of measurement Krippendorff's alpha compares values at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Categories: any two different values disagree alike.
    Nominal,
    /// Ranks: the disagreement between two values grows with how many values lie between them.
    Ordinal,
    /// Numbers: the squared difference.
    Interval,
}

/// Krippendorff's alpha over `units`, each the values its raters gave (a unit with fewer than two
/// values is not pairable and is left out), from the coincidence matrix:
/// alpha = 1 - (n - 1) x sum(o_ck d_ck) / sum(n_c n_k d_ck) over ordered pairs of distinct values.
/// Values are compared exactly, so pass codes or levels.
pub fn krippendorff_alpha(units: &[Vec<f64>], level: Level) -> Option<f64> {
    let mut values: Vec<f64> = units.iter().filter(|u| u.len() >= 2).flatten().copied().collect();
    values.sort_by(f64::total_cmp);
    values.dedup();
    let index = |v: f64| values.partition_point(|&x| x < v);
    let k = values.len();
    if k < 2 {
        return None;
    }
    // Coincidences: each unit with m values adds 1/(m-1) for every ordered pair of its values.
    let mut coincidence = vec![vec![0.0; k]; k];
    for unit in units.iter().filter(|u| u.len() >= 2) {
        let share = 1.0 / (unit.len() - 1) as f64;
        for (i, &a) in unit.iter().enumerate() {
            for (j, &b) in unit.iter().enumerate() {
                if i != j {
                    coincidence[index(a)][index(b)] += share;
                }
            }
        }
    }
    let totals: Vec<f64> = coincidence.iter().map(|row| row.iter().sum()).collect();
    let n: f64 = totals.iter().sum();
    let distance = |c: usize, k: usize| -> f64 {
        match level {
            Level::Nominal => f64::from(u8::from(c != k)),
            Level::Interval => (values[c] - values[k]).powi(2),
            Level::Ordinal => {
                let (low, high) = (c.min(k), c.max(k));
                let between: f64 = totals[low..=high].iter().sum();
                (between - (totals[c] + totals[k]) / 2.0).powi(2)
            }
        }
    };
    let (mut observed, mut expected) = (0.0, 0.0);
    for c in 0..k {
        for j in 0..k {
            observed += coincidence[c][j] * distance(c, j);
            expected += totals[c] * totals[j] * distance(c, j);
        }
    }
    (expected > 0.0).then(|| 1.0 - (n - 1.0) * observed / expected)
}

/// Spearman's rank correlation: Pearson's correlation of the average ranks (ties share the mean of
/// the ranks they span).
pub fn spearman(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 2 {
        return None;
    }
    let xs = ranks(&pairs.iter().map(|p| p.0).collect::<Vec<_>>());
    let ys = ranks(&pairs.iter().map(|p| p.1).collect::<Vec<_>>());
    pearson(&xs, &ys)
}

fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]].total_cmp(&values[order[start]]).is_eq() {
            end += 1;
        }
        // Ranks start + 1 ..= end, averaged.
        let mean = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = mean;
        }
        start = end;
    }
    ranks
}

fn pearson(xs: &[f64], ys: &[f64]) -> Option<f64> {
    let n = xs.len() as f64;
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx).powi(2);
        syy += (y - my).powi(2);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// Precision, recall and F1 of "present" from (engine present, raters present) pairs. `None` where
/// a denominator is 0.
pub fn precision_recall_f1(pairs: &[(bool, bool)]) -> (Option<f64>, Option<f64>, Option<f64>) {
    let tp = pairs.iter().filter(|&&(e, r)| e && r).count() as f64;
    let fp = pairs.iter().filter(|&&(e, r)| e && !r).count() as f64;
    let fn_ = pairs.iter().filter(|&&(e, r)| !e && r).count() as f64;
    let precision = (tp + fp > 0.0).then(|| tp / (tp + fp));
    let recall = (tp + fn_ > 0.0).then(|| tp / (tp + fn_));
    let f1 = (2.0 * tp + fp + fn_ > 0.0).then(|| 2.0 * tp / (2.0 * tp + fp + fn_));
    (precision, recall, f1)
}

/// A 95% percentile bootstrap interval of `statistic` over `items` resampled with replacement
/// `rounds` times from a fixed seed, so the same data always gives the same interval. Resamples
/// on which the statistic is undefined are left out; `None` if fewer than half remain.
pub fn bootstrap<T: Clone>(
    items: &[T],
    rounds: usize,
    seed: u64,
    statistic: impl Fn(&[T]) -> Option<f64>,
) -> Option<(f64, f64)> {
    if items.is_empty() || rounds == 0 {
        return None;
    }
    let mut state = seed;
    let mut estimates = Vec::with_capacity(rounds);
    let mut sample = Vec::with_capacity(items.len());
    for _ in 0..rounds {
        sample.clear();
        for _ in 0..items.len() {
            let pick = (splitmix64(&mut state) % items.len() as u64) as usize;
            sample.push(items[pick].clone());
        }
        if let Some(value) = statistic(&sample) {
            estimates.push(value);
        }
    }
    if estimates.len() * 2 < rounds {
        return None;
    }
    estimates.sort_by(f64::total_cmp);
    let at = |q: f64| estimates[((estimates.len() - 1) as f64 * q).round() as usize];
    Some((at(0.025), at(0.975)))
}

/// SplitMix64: a small, well-mixed generator, the same on every platform.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: Option<f64>, expected: f64) {
        let actual = actual.expect("defined");
        assert!((actual - expected).abs() < 5e-4, "{actual} != {expected}");
    }

    #[test]
    fn cohen_kappa_matches_the_textbook_two_by_two_table() {
        // 50 items: both yes 20, A yes B no 5, A no B yes 10, both no 15. p_o = 0.7, p_e = 0.5.
        let mut pairs = vec![(0, 0); 20];
        pairs.extend(vec![(0, 1); 5]);
        pairs.extend(vec![(1, 0); 10]);
        pairs.extend(vec![(1, 1); 15]);
        close(cohen_kappa(&pairs, 2, Weights::None), 0.4);
        // Two categories: quadratic weights are the plain ones.
        close(cohen_kappa(&pairs, 2, Weights::Quadratic), 0.4);
        assert_eq!(cohen_kappa(&[(0, 0), (0, 0)], 2, Weights::None), None, "no variation: undefined");
    }

    #[test]
    fn quadratic_kappa_weighs_disagreements_by_squared_distance() {
        // Codes 0..3, four items: (0,0) (1,2) (2,2) (2,0). Rows 1,1,2; columns 2,0,2; n = 4.
        // Observed disagreement: (1-2)^2 + (2-0)^2 = 5.
        // Expected: sum_ij (i-j)^2 r_i c_j / 4 = [r0 c2 4 + r1 c0 1 + r1 c2 1 + r2 c0 4] / 4
        //         = (1*2*4 + 1*2*1 + 1*2*1 + 2*2*4) / 4 = 28 / 4 = 7. kappa = 1 - 5/7.
        let pairs = [(0, 0), (1, 2), (2, 2), (2, 0)];
        close(cohen_kappa(&pairs, 3, Weights::Quadratic), 1.0 - 5.0 / 7.0);
    }

    /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers, 12 units,
    /// missing values; the paper's results are 0.743 (nominal), 0.815 (ordinal), 0.849 (interval).
    fn krippendorff_example() -> Vec<Vec<f64>> {
        let rows: [[Option<f64>; 12]; 4] = [
            [
                Some(1.),
                Some(2.),
                Some(3.),
                Some(3.),
                Some(2.),
                Some(1.),
                Some(4.),
                Some(1.),
                Some(2.),
                None,
                None,
                None,
            ],
            [
                Some(1.),
                Some(2.),
                Some(3.),
                Some(3.),
                Some(2.),
                Some(2.),
                Some(4.),
                Some(1.),
                Some(2.),
                Some(5.),
                None,
                Some(3.),
            ],
            [
                None,
                Some(3.),
                Some(3.),
                Some(3.),
                Some(2.),
                Some(3.),
                Some(4.),
                Some(2.),
                Some(2.),
                Some(5.),
                Some(1.),
                None,
            ],
            [
                Some(1.),
                Some(2.),
                Some(3.),
                Some(3.),
                Some(2.),
                Some(4.),
                Some(4.),
                Some(1.),
                Some(2.),
                Some(5.),
                Some(1.),
                None,
            ],
        ];
        (0..12).map(|unit| rows.iter().filter_map(|row| row[unit]).collect()).collect()
    }

    #[test]
    fn krippendorff_alpha_matches_the_published_example() {
        let units = krippendorff_example();
        close(krippendorff_alpha(&units, Level::Nominal), 0.743);
        close(krippendorff_alpha(&units, Level::Ordinal), 0.815);
        close(krippendorff_alpha(&units, Level::Interval), 0.849);
        assert_eq!(krippendorff_alpha(&[vec![1.0, 1.0], vec![1.0]], Level::Nominal), None);
    }

    #[test]
    fn spearman_uses_average_ranks_for_ties() {
        // x ranks 1, 2.5, 2.5, 4; y ranks 1, 2, 3, 4.
        let pairs = [(1.0, 10.0), (2.0, 20.0), (2.0, 30.0), (3.0, 40.0)];
        // Pearson of (1, 2.5, 2.5, 4) and (1, 2, 3, 4): sxy = 4.5, sxx = 4.5, syy = 5.
        close(spearman(&pairs), 4.5 / (4.5f64 * 5.0).sqrt());
        close(spearman(&[(1.0, 3.0), (2.0, 2.0), (3.0, 1.0)]), -1.0);
        assert_eq!(spearman(&[(1.0, 1.0), (1.0, 2.0)]), None);
    }

    #[test]
    fn precision_recall_and_f1_count_present() {
        let pairs = [(true, true), (true, false), (false, true), (false, true), (false, false)];
        let (p, r, f) = precision_recall_f1(&pairs);
        close(p, 0.5);
        close(r, 1.0 / 3.0);
        close(f, 0.4);
        assert_eq!(precision_recall_f1(&[(false, false)]), (None, None, None));
    }

    #[test]
    fn bootstrap_is_deterministic_and_brackets_the_estimate() {
        let items: Vec<f64> = (0..40).map(|i| f64::from(i % 7)).collect();
        let mean = |xs: &[f64]| Some(xs.iter().sum::<f64>() / xs.len() as f64);
        let (low, high) = bootstrap(&items, 500, 7, mean).unwrap();
        assert_eq!(bootstrap(&items, 500, 7, mean), Some((low, high)), "same seed, same interval");
        let estimate = mean(&items).unwrap();
        assert!(low < estimate && estimate < high, "{low} < {estimate} < {high}");
        assert_ne!(bootstrap(&items, 500, 8, mean), Some((low, high)), "another seed, another draw");
        assert_eq!(bootstrap(&items, 500, 7, |_| None), None);
    }
}
