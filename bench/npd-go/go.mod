module enospc/bench/npd-go

go 1.19
