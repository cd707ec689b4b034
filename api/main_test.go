package api_test

import (
	"testing"

	"github.com/snoutos/snout/dev/testenv"
)

func TestMain(m *testing.M) {
	installContractCheck()
	testenv.Main(m)
}
