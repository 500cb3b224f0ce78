<?php
// Loads WordPress from the command line for one test site, chosen by WORDPRESS_CONFIG.
// Usage (from install.php / edit.php): require __DIR__ . '/load.php';
$site = getenv('WORDPRESS_CONFIG');
$url = getenv('SITE_URL');
if (!$site || !$url) {
    fwrite(STDERR, "set WORDPRESS_CONFIG and SITE_URL\n");
    exit(2);
}
$_SERVER['WORDPRESS_CONFIG'] = $site;
$_SERVER['HTTP_HOST'] = parse_url($url, PHP_URL_HOST) . ':' . parse_url($url, PHP_URL_PORT);
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
if (!empty($installing)) {
    define('WP_INSTALLING', true);
}
require '/usr/share/wordpress/wp-load.php';
