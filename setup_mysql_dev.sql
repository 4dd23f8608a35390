-- Prepares a MySQL/MariaDB server for the AirBnB clone's development storage:
-- database hbnb_dev_db, user hbnb_dev@localhost (password hbnb_dev_pwd) with
-- every privilege on it and read access to performance_schema.
-- For a student's own machine only: the lab's provisioner creates its user with
-- a password generated at provisioning time. Safe to run again (IF NOT EXISTS).
-- Usage: cat setup_mysql_dev.sql | sudo mysql

-- utf8mb4: any Unicode text (names with accents, emoji) fits the columns.
CREATE DATABASE IF NOT EXISTS hbnb_dev_db
  CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE USER IF NOT EXISTS 'hbnb_dev'@'localhost' IDENTIFIED BY 'hbnb_dev_pwd';

-- The application creates its tables itself, so it needs every privilege on
-- its database, and nothing on the others.
GRANT ALL PRIVILEGES ON hbnb_dev_db.* TO 'hbnb_dev'@'localhost';
-- Read-only access to the server's performance figures (the exercise asks it).
GRANT SELECT ON performance_schema.* TO 'hbnb_dev'@'localhost';

FLUSH PRIVILEGES;
