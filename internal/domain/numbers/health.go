package numbers

import "time"

// Number health is read from the delivery attempts sent from a number over
// the last HealthWindow:
//
//   - red: at least HealthStormCount attempts failed with a reputation code
//     (30007 carrier spam filtering, 21610 recipients who texted STOP to this
//     number: both are about the sending number, not one recipient), or the
//     failure rate (failed + undelivered ÷ attempts) is at least
//     HealthRedRate with at least HealthRedMinFailures failures;
//   - yellow: the failure rate is at least HealthYellowRate (this includes a
//     red-level rate on too small a sample to be sure: 1 failure in 4);
//   - green: anything else, including a number that sent nothing.
//
// Why these numbers: a healthy US 10DLC or toll-free sender delivers well
// over 98% of its texts, so 2% failures is already worth a look; at 10%
// carriers are filtering or the number's recipients are unreachable and the
// owner should act (quarantine the number). Reputation codes come in bursts
// when a carrier starts filtering a number, so three in a week are enough.
const (
	HealthGreen  = "green"
	HealthYellow = "yellow"
	HealthRed    = "red"

	HealthWindow         = 7 * 24 * time.Hour
	HealthYellowRate     = 0.02
	HealthRedRate        = 0.10
	HealthRedMinFailures = 3
	HealthStormCount     = 3
)

// HealthLevels lists the levels, best first.
var HealthLevels = []string{HealthGreen, HealthYellow, HealthRed}

// HealthStormCodes are the provider error codes that speak about the
// sending number's reputation.
var HealthStormCodes = []int{30007, 21610}

// Health is a number's level from its attempts over the health window:
// how many were sent, how many failed (failed or undelivered), and how many
// failed with a reputation code.
func Health(attempts, failed, storm int) string {
	rate := ErrorRate(attempts, failed)
	switch {
	case storm >= HealthStormCount:
		return HealthRed
	case failed >= HealthRedMinFailures && rate >= HealthRedRate:
		return HealthRed
	case failed > 0 && rate >= HealthYellowRate:
		return HealthYellow
	}
	return HealthGreen
}

// ErrorRate is failed ÷ attempts (0 with no attempts).
func ErrorRate(attempts, failed int) float64 {
	if attempts == 0 {
		return 0
	}
	return float64(failed) / float64(attempts)
}
