package views

import (
	"testing"

	"asrboard/models"
)

func TestFormatMoney(t *testing.T) {
	for _, c := range []struct {
		cents    int64
		currency string
		want     string
	}{
		{12885289, "USD", "$128,852.89"},
		{0, "USD", "$0.00"},
		{5, "EUR", "€0.05"},
		{100000000, "GBP", "£1,000,000.00"},
		{123456, "CHF", "CHF\u00a01,234.56"},
		{99, "JPY", "JPY\u00a00.99"},
		{1_000_000_000_000, "USD", "$10,000,000,000.00"},
		{-150, "USD", "−$1.50"},
	} {
		if got := FormatMoney(c.cents, c.currency); got != c.want {
			t.Errorf("FormatMoney(%d, %s) = %q, want %q", c.cents, c.currency, got, c.want)
		}
	}
	for _, c := range []struct {
		cents int64
		want  string
	}{{123456, "+$1,234.56"}, {-350, "−$3.50"}, {0, "±$0.00"}} {
		if got := FormatMoneyChange(c.cents, "USD"); got != c.want {
			t.Errorf("FormatMoneyChange(%d) = %q, want %q", c.cents, got, c.want)
		}
	}
	for _, c := range []struct {
		cents int64
		want  string
	}{{95000, "$950"}, {1250000, "$12.5k"}, {100000, "$1k"}, {320000000, "$3.2M"}, {0, "$0"}} {
		if got := FormatMoneyShort(c.cents, "USD"); got != c.want {
			t.Errorf("FormatMoneyShort(%d) = %q, want %q", c.cents, got, c.want)
		}
	}
}

func TestFormatNumbers(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{FormatCount(0), "0"},
		{FormatCount(999), "999"},
		{FormatCount(1000), "1,000"},
		{FormatCount(1234567), "1,234,567"},
		{FormatCountChange(12), "+12"},
		{FormatCountChange(-1200), "−1,200"},
		{FormatCountChange(0), "±0"},
		{FormatE8(123456789012, 2), "1,234.57"},
		{FormatE8(50_000_000, 2), "0.50"},
		{FormatE8(5_000_000, 4), "0.0500"},
		{FormatE8Change(-250_000_000, 2), "−2.50"},
		{FormatShare(5, 12), "41.7%"},
		{FormatShare(1, 3), "33.3%"},
		{FormatShare(1, 8), "12.5%"},
		{FormatShare(3, 3), "100.0%"},
		{FormatShare(0, 0), Dash},
		{FormatScore(models.Score{Num: 2, Den: 3}), "66.7%"},
		{FormatScore(models.Score{}), Dash},
		{FormatScoreChange(models.Score{Num: 3, Den: 4}, models.Score{Num: 2, Den: 3}), "+8.3 pp"},
		{FormatScoreChange(models.Score{Num: 1, Den: 2}, models.Score{Num: 3, Den: 4}), "−25.0 pp"},
		{FormatScoreChange(models.Score{Num: 1, Den: 2}, models.Score{Num: 2, Den: 4}), "±0.0 pp"},
		{FormatScoreChange(models.Score{Num: 1, Den: 2}, models.Score{}), Dash},
		{FormatChangePercent(110, 100), "+10.0%"},
		{FormatChangePercent(90, 120), "−25.0%"},
		{FormatChangePercent(100, 100), "±0.0%"},
		{FormatChangePercent(5, 0), Dash},
		{FormatChangePercent(1_000_000_000_000_000, 3), "+33333333333333233.3%"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
