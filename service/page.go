package service

// Page cuts rows, read with one row more than limit, to a page of at most
// limit rows. next is the cursor of the page's last row when more rows
// follow, nil on the last page.
func Page[T, C any](rows []T, limit int, cursor func(*T) C) (page []T, next *C) {
	if len(rows) <= limit {
		return rows, nil
	}
	rows = rows[:limit]
	c := cursor(&rows[limit-1])
	return rows, &c
}
