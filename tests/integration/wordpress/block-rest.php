<?php
/*
 * Plugin Name: Members-only REST API (test harness)
 * What security plugins do on many union sites: anonymous REST requests get a 401.
 */
add_filter('rest_authentication_errors', function ($result) {
    if (!empty($result) || is_user_logged_in()) {
        return $result;
    }
    return new WP_Error('rest_not_logged_in', 'Chỉ thành viên mới được truy cập API.',
                        array('status' => 401));
});
