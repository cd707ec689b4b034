package numbers

import (
	"testing"

	"github.com/snoutos/snout/dev/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }
