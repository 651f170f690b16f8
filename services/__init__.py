"""MPP Suite: nameko services for a Mal Pelayanan Publik."""
