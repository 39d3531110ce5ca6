package entity

import "testing"

func TestWithinAgreesWithDistance(t *testing.T) {
	words := []string{"", "a", "team-payments", "team-paymnets", "Team-Payments", "postgres-payment", "postgres-payments", "x", "ledger", "ledgr-db", "ünïcode", "unicode"}
	for _, a := range words {
		for _, b := range words {
			d := Distance(a, b)
			for limit := 0; limit <= 4; limit++ {
				got, ok := Within(a, b, limit)
				if ok != (d <= limit) || (ok && got != d) {
					t.Errorf("Within(%q, %q, %d) = %d, %v; Distance = %d", a, b, limit, got, ok, d)
				}
			}
		}
	}
}
