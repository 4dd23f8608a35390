-- Prepares a MySQL/MariaDB server for the AirBnB clone's tests: database
-- hbnb_test_db, user hbnb_test@localhost (password hbnb_test_pwd) with every
-- privilege on it and read access to performance_schema. The tests drop and
-- recreate the tables (HBNB_ENV=test), so never point them at real data.
-- Safe to run again (IF NOT EXISTS). Usage: cat setup_mysql_test.sql | sudo mysql
-- (tests/mysql-server.sh applies it).

-- utf8mb4: any Unicode text (names with accents, emoji) fits the columns.
CREATE DATABASE IF NOT EXISTS hbnb_test_db
  CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- 'localhost' covers both the Unix socket and TCP on 127.0.0.1 (MariaDB
-- resolves the loopback address to localhost unless skip-name-resolve is on).
CREATE USER IF NOT EXISTS 'hbnb_test'@'localhost' IDENTIFIED BY 'hbnb_test_pwd';

-- Every privilege on its own database (the tests create and drop the tables).
GRANT ALL PRIVILEGES ON hbnb_test_db.* TO 'hbnb_test'@'localhost';
-- Read-only access to the server's performance figures (the exercise asks it).
GRANT SELECT ON performance_schema.* TO 'hbnb_test'@'localhost';

FLUSH PRIVILEGES;
