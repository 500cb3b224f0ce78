"""Every decision of the directive, pure: values and `now` in, values out."""
