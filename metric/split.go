package metric

import "math/big"

// Split divides total into parts in proportion to weights, exactly: every
// part but the last is rounded down to the unit (the fen), and the last part
// takes what rounding left, so the parts always add up to total. With no
// positive weight the split is even.
func Split(total int64, weights []int64) []int64 {
	n := len(weights)
	if n == 0 {
		return nil
	}
	w := make([]int64, n)
	var sum int64
	for i, x := range weights {
		if x > 0 {
			w[i] = x
			sum += x
		}
	}
	if sum == 0 {
		for i := range w {
			w[i] = 1
		}
		sum = int64(n)
	}
	out := make([]int64, n)
	var given int64
	T, S := big.NewInt(total), big.NewInt(sum)
	for i := 0; i < n-1; i++ {
		q := new(big.Int).Mul(T, big.NewInt(w[i]))
		q.Quo(q, S) // truncates toward zero: down for a positive total
		out[i] = q.Int64()
		given += out[i]
	}
	out[n-1] = total - given
	return out
}

// MonthShare is one month of last year in the seasonal shape.
type MonthShare struct {
	Sum  int64 // the metric over the month's logged days
	Days int   // days logged
	Of   int   // days in the month
}

// SeasonalWeights turns last year's months into the weights of an annual
// split. Each month's total is scaled up to the whole month from the days
// that were logged, so a few missing days do not shrink it. The shape is
// used only when every month has at least half its days logged and
// something was logged in all; ok is false otherwise, and the split is
// flat by days.
func SeasonalWeights(months [12]MonthShare) (weights []int64, ok bool) {
	weights = make([]int64, 12)
	var total int64
	for i, m := range months {
		if m.Of == 0 || m.Days*2 < m.Of || m.Sum < 0 {
			return FlatWeights(months), false
		}
		// Scaled to the whole month, in thousandths to keep the shape fine.
		w := new(big.Int).Mul(big.NewInt(m.Sum), big.NewInt(int64(m.Of)*1000))
		w.Quo(w, big.NewInt(int64(m.Days)))
		weights[i] = w.Int64()
		total += weights[i]
	}
	if total <= 0 {
		return FlatWeights(months), false
	}
	return weights, true
}

// FlatWeights splits by the days of each month: every day the same.
func FlatWeights(months [12]MonthShare) []int64 {
	w := make([]int64, 12)
	for i, m := range months {
		w[i] = int64(m.Of)
	}
	return w
}
