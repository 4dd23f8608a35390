"""The grader of practice mode: a student's handed-in files, read and mapped on the host."""
