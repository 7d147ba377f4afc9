package views

import (
	"math/big"
	"strconv"
	"strings"

	"asrboard/models"
)

// Dash stands for a figure that does not exist: a score with nothing to
// average, a change with nothing to compare against.
const Dash = "—"

// minus is the typographic minus sign of negative changes.
const minus = "−"

// currencySymbols are the currencies written with a symbol; any other is
// written with its ISO code ("CHF 1,234.50").
var currencySymbols = map[string]string{"USD": "$", "EUR": "€", "GBP": "£"}

// FormatMoney writes cents in the currency with thousands separators and two
// decimals: "$128,852.89", "€0.50", "CHF 1,234.00".
func FormatMoney(cents int64, currency string) string {
	sign := ""
	if cents < 0 {
		sign = minus
	}
	return sign + moneyPrefix(currency) + groupFixed(abs(cents), 100, 2)
}

// FormatMoneyChange writes a signed change of money: "+$1,200.00",
// "−$3.50", "±$0.00".
func FormatMoneyChange(cents int64, currency string) string {
	return signOf(cents) + moneyPrefix(currency) + groupFixed(abs(cents), 100, 2)
}

// FormatMoneyShort writes money for chart axes: "$950", "$12.5k", "$3.2M".
func FormatMoneyShort(cents int64, currency string) string {
	units := abs(cents) / 100
	sign := ""
	if cents < 0 {
		sign = minus
	}
	p := moneyPrefix(currency)
	switch {
	case units >= 1_000_000:
		return sign + p + trimZero(fixed(units, 1_000_000, 1)) + "M"
	case units >= 1_000:
		return sign + p + trimZero(fixed(units, 1_000, 1)) + "k"
	}
	return sign + p + strconv.FormatInt(units, 10)
}

func moneyPrefix(currency string) string {
	if s, ok := currencySymbols[currency]; ok {
		return s
	}
	return currency + "\u00a0"
}

// FormatCount writes a whole number with thousands separators: "12,345".
func FormatCount(n int64) string {
	sign := ""
	if n < 0 {
		sign = minus
	}
	return sign + groupFixed(abs(n), 1, 0)
}

// FormatMatches writes a count that may have stopped at its cap: "12,345"
// or "10,000+".
func FormatMatches(c models.Count) string {
	if c.Capped {
		return FormatCount(c.N) + "+"
	}
	return FormatCount(c.N)
}

// FormatCountChange writes a signed change of a count: "+12", "−3", "±0".
func FormatCountChange(n int64) string { return signOf(n) + groupFixed(abs(n), 1, 0) }

// FormatE8 writes a fraction held in hundred-millionths (models.ScaleE8)
// with the given decimals and thousands separators: "1,234.57".
func FormatE8(e8 int64, decimals int) string {
	sign := ""
	if e8 < 0 {
		sign = minus
	}
	return sign + groupFixed(abs(e8), models.ScaleE8, decimals)
}

// FormatE8Change writes a signed change of such a fraction: "+2.50".
func FormatE8Change(e8 int64, decimals int) string {
	return signOf(e8) + groupFixed(abs(e8), models.ScaleE8, decimals)
}

// FormatScore writes a score from 0 to 1 as a percentage with one decimal
// ("83.3%"), or Dash when there is nothing to average.
func FormatScore(s models.Score) string {
	if !s.Valid() {
		return Dash
	}
	return FormatShare(s.Num, s.Den)
}

// FormatShare writes num/den as a percentage with one decimal: "41.7%";
// Dash when den is 0.
func FormatShare(num, den int64) string {
	if den <= 0 {
		return Dash
	}
	sign := ""
	if num < 0 {
		sign, num = minus, -num
	}
	return sign + fixedRatio(num, den, 100, 1) + "%"
}

// FormatScoreChange writes the difference of two scores in percentage
// points ("+2.1 pp"), or Dash when either has nothing to average.
func FormatScoreChange(cur, prev models.Score) string {
	if !cur.Valid() || !prev.Valid() {
		return Dash
	}
	// cur.Num/cur.Den − prev.Num/prev.Den, over a common denominator.
	num := new(big.Int).Sub(new(big.Int).Mul(big.NewInt(cur.Num), big.NewInt(prev.Den)),
		new(big.Int).Mul(big.NewInt(prev.Num), big.NewInt(cur.Den)))
	den := new(big.Int).Mul(big.NewInt(cur.Den), big.NewInt(prev.Den))
	sign := "+"
	switch num.Sign() {
	case -1:
		sign = minus
		num.Neg(num)
	case 0:
		sign = "±"
	}
	s := roundRatio(num.Mul(num, big.NewInt(100)), den, 1)
	if s == "0.0" {
		sign = "±"
	}
	return sign + s + " pp"
}

// FormatChangePercent writes the relative change from prev to cur with one
// decimal ("+12.3%", "−4.0%"); Dash when prev is 0.
func FormatChangePercent(cur, prev int64) string {
	if prev == 0 {
		return Dash
	}
	d := cur - prev
	s := fixedRatio(abs(d), abs(prev), 100, 1)
	if s == "0.0" {
		return "±0.0%"
	}
	return signOf(d) + s + "%"
}

func signOf(n int64) string {
	switch {
	case n > 0:
		return "+"
	case n < 0:
		return minus
	}
	return "±"
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// groupFixed writes n/scale (n ≥ 0) rounded half up to the given decimals,
// with a comma between thousands.
func groupFixed(n, scale int64, decimals int) string {
	s := fixed(n, scale, decimals)
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// fixed writes n/scale (n ≥ 0) with exactly the given decimals.
func fixed(n, scale int64, decimals int) string {
	return roundRatio(big.NewInt(n), big.NewInt(scale), decimals)
}

// fixedRatio writes num×mul/den (num ≥ 0, den > 0) with exactly the given
// decimals, in big integers so no product overflows.
func fixedRatio(num, den, mul int64, decimals int) string {
	r := new(big.Int).Mul(big.NewInt(num), big.NewInt(mul))
	return roundRatio(r, big.NewInt(den), decimals)
}

// roundRatio writes num/den (both ≥ 0) rounded half up to exactly the given
// decimals.
func roundRatio(num, den *big.Int, decimals int) string {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(decimals)), nil)
	q, m := new(big.Int).QuoRem(new(big.Int).Mul(num, scale), den, new(big.Int))
	if new(big.Int).Lsh(m, 1).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	digits := q.String()
	if decimals == 0 {
		return digits
	}
	for len(digits) <= decimals {
		digits = "0" + digits
	}
	return digits[:len(digits)-decimals] + "." + digits[len(digits)-decimals:]
}

func trimZero(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}
